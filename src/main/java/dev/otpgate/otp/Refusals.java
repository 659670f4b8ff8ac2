package dev.otpgate.otp;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * The answers of ADM_ValidateOTP and of the send limits: each says which case it is and nothing
 * more (never the code, never the destination). README "Errors" lists them.
 */
public final class Refusals {

    private Refusals() {
    }

    public static OtpFailure unknownTransaction() {
        return new OtpFailure(Kind.NOT_FOUND, "Unknown TransactionID for this LoginUID");
    }

    public static OtpFailure wrongCode(int attemptsLeft) {
        return attemptsLeft > 0
                ? new OtpFailure(Kind.BAD_REQUEST, "Wrong OTP; " + attemptsLeft + (attemptsLeft == 1 ? " attempt" : " attempts") + " left")
                : new OtpFailure(Kind.BAD_REQUEST, "Wrong OTP; no attempts left, the OTP is locked; ask for a new one");
    }

    public static OtpFailure expired() {
        return new OtpFailure(Kind.GONE, "The OTP has expired; ask for a new one");
    }

    public static OtpFailure alreadyUsed() {
        return new OtpFailure(Kind.CONFLICT, "The OTP has already been used");
    }

    public static OtpFailure replaced() {
        return new OtpFailure(Kind.CONFLICT, "The OTP was replaced by a newer one; use the latest OTP sent");
    }

    public static OtpFailure locked() {
        return new OtpFailure(Kind.TOO_MANY_REQUESTS, "The OTP is locked after too many wrong attempts; ask for a new one");
    }

    public static OtpFailure undelivered() {
        return new OtpFailure(Kind.GONE, "The OTP was never delivered; ask for a new one");
    }

    public static OtpFailure guessBudgetSpent(long retryAfterSeconds) {
        return new OtpFailure(Kind.TOO_MANY_REQUESTS,
                "Too many wrong OTPs for this user; try again in " + retryAfterSeconds + " seconds", retryAfterSeconds);
    }

    public static OtpFailure tooManySends(long retryAfterSeconds) {
        return new OtpFailure(Kind.TOO_MANY_REQUESTS,
                "Too many OTP requests; try again in " + retryAfterSeconds + " seconds", retryAfterSeconds);
    }

    public static OtpFailure busy() {
        return new OtpFailure(Kind.TOO_MANY_REQUESTS, "Another request for this user is in progress; try again in 1 second", 1);
    }
}
