package dev.otpgate.otp;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * ADM_ValidateOTP: read the transaction, check it in memory (state, expiry, attempts), compare the
 * keyed hash in constant time, then one atomic write that either uses the code up or counts the
 * wrong guess. AWS round trips: one read, one write.
 */
@ApplicationScoped
public class ValidateOtp {

    public record Request(String transactionId, String loginUid, String code) {

        @Override
        public String toString() { // the typed code never reaches a log line
            return "Request[TransactionID=" + transactionId + ", LoginUID=" + loginUid + "]";
        }
    }

    private final OtpCodes codes;
    private final OtpStore store;
    private final Clock clock;

    ValidateOtp(OtpCodes codes, OtpStore store, Clock clock) {
        this.codes = codes;
        this.store = store;
        this.clock = clock;
    }

    public void validate(Requester requester, Request request) {
        if (!codes.wellFormed(request.code())) { // a typo, not a guess: not counted
            throw new OtpFailure(Kind.BAD_REQUEST, "OTP_Text must be " + codes.length() + " digits");
        }
        OtpTransaction t = store.find(request.transactionId())
                .filter(found -> found.loginUid().equals(request.loginUid()))
                // a code for a user the caller may not act for is, to that caller, no code at all
                .filter(found -> requester.mayActFor(found.domainId(), found.userId()))
                .orElseThrow(Refusals::unknownTransaction);
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
        if (codes.matches(t.transactionId(), request.code(), t.codeHash())) {
            store.consume(t, now);
        } else {
            throw Refusals.wrongCode(store.recordWrongGuess(t, now));
        }
    }
}
