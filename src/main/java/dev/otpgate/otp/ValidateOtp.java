package dev.otpgate.otp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * ADM_ValidateOTP: read the transaction, check it in memory (organisation, state, expiry, attempts),
 * compare the keyed hash in constant time, then one atomic write that either uses the code up or counts
 * the wrong guess. AWS round trips: one read, one write; a right code sent by End User Messaging also one
 * PutMessageFeedback, made once the write has used the code (docs/delivery.md "Conversion").
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

    private final Courier courier;
    private final Duration feedbackWait;

    ValidateOtp(OtpCodes codes, OtpStore store, Policies policies, Clock clock, OtpConfig config, Courier courier,
            @ConfigProperty(name = "otp.end-user-messaging.feedback-wait", defaultValue = "PT0.25S") Duration feedbackWait) {
        this.config = config;
        this.courier = courier;
        this.feedbackWait = feedbackWait;
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
            // The code was used: its message reached its user. Told only now (conversion): a right code the write
            // refuses (a hold, a spent budget, a parallel use) is no conversion.
            awaitBriefly(t.messageId() != null ? courier.received(t.messageId()) : null);
        } else {
            OtpStore.WrongGuess counted = store.recordWrongGuess(t, budget, now);
            if (counted.holdStarted() != null) { // a searchable record of who, for whom, and why
                org.jboss.logging.Logger.getLogger(ValidateOtp.class).warnf(
                        "Wrong codes started a hold (%s): caller %s/%s, user %s/%s/%s", counted.holdStarted(),
                        requester.orgId(), masked(requester.userName()), t.orgId(), t.domainId(), t.userId());
                if (call != null) {
                    call.guessHold(counted.holdStarted());
                }
            }
            throw Refusals.wrongCode(counted.attemptsLeft());
        }
    }

    /**
     * Lets the feedback finish before the answer if it does within {@code feedbackWait} (one round trip, which usually
     * has); a slower one is not waited for: in Lambda it goes on when the instance next runs, or is lost, which
     * costs AWS's conversion metric one count, never the user's login.
     */
    private void awaitBriefly(CompletableFuture<Void> reported) {
        if (reported == null) {
            return;
        }
        try {
            reported.get(feedbackWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not waited for: see above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OtpFailure wrongLength(int length) {
        return new OtpFailure(Kind.BAD_REQUEST, "OTP_Text must be " + length + " digits");
    }

    /** A caller's name for the log: masked, control characters out (as the login's warnings write it). */
    private static String masked(String userName) {
        String clean = userName.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "");
        return clean.indexOf('@') > 0 ? Masking.email(clean) : clean.substring(0, Math.min(2, clean.length())) + "***";
    }
}
