package dev.otpgate.otp;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * ADM_ValidateOTP: read the transaction, check it in memory (organisation, state, expiry, attempts),
 * compare the keyed hash in constant time, then one atomic write that either uses the code up or counts
 * the wrong guess. AWS round trips: one read, one write.
 */
@ApplicationScoped
public class ValidateOtp {

    /**
     * @param numeric OTP_Text came as a JSON number, which lost the code's leading zeros: they are put
     *        back, up to the transaction's code length
     */
    public record Request(String orgId, String transactionId, String loginUid, String code, boolean numeric) {

        @Override
        public String toString() { // the typed code never reaches a log line
            return "Request[OrgID=" + orgId + ", TransactionID=" + transactionId + ", LoginUID=" + loginUid + "]";
        }
    }

    private final OtpCodes codes;
    private final OtpStore store;
    private final Policies policies;
    private final Clock clock;
    private final OtpConfig config;
    /** Where this function runs: only its own codes are checked here (docs/regions.md). */
    @Inject
    HomeRegion home;

    ValidateOtp(OtpCodes codes, OtpStore store, Policies policies, Clock clock, OtpConfig config) {
        this.config = config;
        this.codes = codes;
        this.store = store;
        this.policies = policies;
        this.clock = clock;
    }

    public void validate(Requester requester, Request request) {
        validate(requester, request, null);
    }

    /** As above, telling {@code call} (if any) the country of the code once it is found, for the call log's metrics. */
    public void validate(Requester requester, Request request, CallContext call) {
        Policy policy = policies.of(requester.orgId());
        // A typo, not a guess: not counted, and no read (the organisation's policy is cached).
        if (!OtpCodes.digits(request.code()) || request.code().length() > OtpCodes.MAX_LENGTH
                || (!request.numeric() && request.code().length() < OtpCodes.MIN_LENGTH)) {
            throw wrongLength(policy.codeLength());
        }
        if (home.issuedElsewhere(request.transactionId())) { // before the read: it is not in this region's table
            throw Refusals.otherRegion();
        }
        OtpTransaction t = store.find(request.transactionId())
                .filter(found -> found.loginUid().equals(request.loginUid()))
                // another organisation's code, or one for a user the caller may not act for, is no code at all
                .filter(found -> found.orgId().equals(requester.orgId()) && found.orgId().equals(request.orgId()))
                .filter(found -> requester.mayActFor(found.domainId(), found.userId()))
                .orElseThrow(Refusals::unknownTransaction);
        if (call != null) { // a code sent before the country was kept: its channel says at least EMAIL
            call.destinationCountry(t.country() != null ? t.country()
                    : t.channel() == Channel.EMAIL ? DestinationCountry.EMAIL : DestinationCountry.UNKNOWN);
        }
        String typed = request.numeric() && request.code().length() < t.codeLength()
                ? "0".repeat(t.codeLength() - request.code().length()) + request.code()
                : request.code();
        if (!OtpCodes.wellFormed(typed, t.codeLength())) { // the organisation changed its length since: still a typo
            throw wrongLength(t.codeLength());
        }
        Instant now = clock.instant();
        switch (t.state()) {
            case USED -> throw Refusals.alreadyUsed();
            case UNDELIVERED -> throw Refusals.undelivered();
            case PENDING -> {
            }
        }
        if (!now.isBefore(t.expiresAt())) { // TTL deletion lags: the read decides
            throw Refusals.expired();
        }
        if (t.attemptsLeft() <= 0) {
            throw Refusals.locked();
        }
        OtpStore.GuessLimits budget = new OtpStore.GuessLimits(policy.limits().failedGuessesPerHour(),
                config.limits().consecutiveFailures(), requester.orgId() + "/" + requester.userName(),
                config.limits().callerFailedGuessesPerHour());
        if (codes.matches(t.transactionId(), typed, t.codeHash())) {
            store.consume(t, budget, now);
        } else {
            throw Refusals.wrongCode(store.recordWrongGuess(t, budget, now));
        }
    }

    private static OtpFailure wrongLength(int length) {
        return new OtpFailure(Kind.BAD_REQUEST, "OTP_Text must be " + length + " digits");
    }
}
