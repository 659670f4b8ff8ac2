package dev.otpgate.otp;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * The answers of ADM_ValidateOTP and of the send limits: each says which case it is and nothing
 * more (never the code, never the destination). docs/errors.md lists them.
 */
public final class Refusals {

    private Refusals() {
    }

    public static OtpFailure unknownTransaction() {
        return refusal(Kind.NOT_FOUND, "unknown_transaction", "Unknown TransactionID for this LoginUID", 0);
    }

    /**
     * The code was issued in another region (HomeRegion): a client that failed over mid-login. It is not checked here,
     * never accepted here, and still good once at home; the app asks for a new code.
     */
    public static OtpFailure otherRegion() {
        return refusal(Kind.GONE, "other_region",
                "This OTP was issued by another region of the service and cannot be checked here; ask for a new one", 0);
    }

    public static OtpFailure wrongCode(int attemptsLeft) {
        return refusal(Kind.BAD_REQUEST, "wrong_code", attemptsLeft > 0
                ? "Wrong OTP; " + attemptsLeft + (attemptsLeft == 1 ? " attempt" : " attempts") + " left"
                : "Wrong OTP; no attempts left, the OTP is locked; ask for a new one", 0);
    }

    public static OtpFailure expired() {
        return refusal(Kind.GONE, "expired", "The OTP has expired; ask for a new one", 0);
    }

    public static OtpFailure alreadyUsed() {
        return refusal(Kind.CONFLICT, "already_used", "The OTP has already been used", 0);
    }

    public static OtpFailure replaced() {
        return refusal(Kind.CONFLICT, "replaced", "The OTP was replaced by a newer one; use the latest OTP sent", 0);
    }

    public static OtpFailure locked() {
        return refusal(Kind.TOO_MANY_REQUESTS, "locked", "The OTP is locked after too many wrong attempts; ask for a new one", 0);
    }

    public static OtpFailure undelivered() {
        return refusal(Kind.GONE, "undelivered", "The OTP was never delivered; ask for a new one", 0);
    }

    public static OtpFailure guessBudgetSpent(long retryAfterSeconds) {
        return refusal(Kind.TOO_MANY_REQUESTS, "guess_budget_spent",
                "Too many wrong OTPs for this user; try again in " + retryAfterSeconds + " seconds", retryAfterSeconds);
    }

    public static OtpFailure tooManySends(long retryAfterSeconds) {
        return refusal(Kind.TOO_MANY_REQUESTS, "send_limit",
                "Too many OTP requests; try again in " + retryAfterSeconds + " seconds", retryAfterSeconds);
    }

    /**
     * A rule of the fraud guard (docs/limits-and-fraud.md "The fraud guard"): {@code reason} is its code (fraud_address_hourly,
     * fraud_address_daily, fraud_countries_per_address, fraud_country_hourly, fraud_country_daily, sms_budget,
     * email_budget, org_sms_budget, org_email_budget, caller_quota), the message one an app can show.
     */
    public static OtpFailure fraud(String reason, long retryAfterSeconds) {
        String why = switch (reason) {
            case "fraud_address_hourly", "fraud_address_daily" -> "Too many unconfirmed OTPs were requested from this network";
            case "fraud_countries_per_address" -> "OTPs were requested from this network to too many countries";
            case "fraud_country_hourly", "fraud_country_daily" -> "Too many unconfirmed OTPs were requested to this country";
            case "caller_quota" -> "This application's daily OTP quota is used up";
            case "org_sms_budget", "org_email_budget" -> "This organisation's daily OTP budget is used up";
            default -> "The service's daily OTP budget is used up";
        };
        return refusal(Kind.TOO_MANY_REQUESTS, reason, why + "; try again in " + retryAfterSeconds + " seconds",
                retryAfterSeconds);
    }

    /** The user's consecutive wrong guesses reached the cap (NIST 800-63B 5.2.2); a success or an operator resets it. */
    public static OtpFailure failuresLocked() {
        return refusal(Kind.TOO_MANY_REQUESTS, "failures_locked",
                "Too many consecutive wrong OTPs for this user; ask the administrator to unlock the account", 0);
    }

    /**
     * The user's consecutive wrong guesses reached {@link GuessBackoff#FREE}: every try waits, the wait doubling
     * with each failure (NIST 800-63B 5.2.2 prefers waits to a lockout).
     */
    public static OtpFailure failuresWait(long retryAfterSeconds) {
        return refusal(Kind.TOO_MANY_REQUESTS, "failures_wait",
                "Too many consecutive wrong OTPs for this user; try again in " + retryAfterSeconds + " seconds",
                retryAfterSeconds);
    }

    /** A hold on the user (dynamo/UserHolds) by its reason: the cap or a wait of {@code retryAfterSeconds}. */
    public static OtpFailure held(String reason, long retryAfterSeconds) {
        return "failures_locked".equals(reason) ? failuresLocked() : failuresWait(Math.max(1, retryAfterSeconds));
    }

    /** The caller's wrong guesses of this hour, across all its users, reached its budget. */
    public static OtpFailure callerGuessBudgetSpent(long retryAfterSeconds) {
        return refusal(Kind.TOO_MANY_REQUESTS, "caller_guess_budget_spent",
                "Too many wrong OTPs from this application; try again in " + retryAfterSeconds + " seconds",
                retryAfterSeconds);
    }

    public static OtpFailure busy() {
        return refusal(Kind.TOO_MANY_REQUESTS, "busy", "Another request for this user is in progress; try again in 1 second", 1);
    }

    /**
     * A dependency (DynamoDB) timed out or throttled, or too little of the request's time is left to store and
     * send a code: nothing was stored or sent, the caller may simply try again.
     */
    public static OtpFailure unavailable() {
        return refusal(Kind.UNAVAILABLE, "unavailable", "The service is temporarily unavailable; try again in "
                + UNAVAILABLE_RETRY_AFTER + " seconds", UNAVAILABLE_RETRY_AFTER);
    }

    /** Seconds a caller should wait after a 503: DynamoDB's throttling and stalls pass in seconds. */
    public static final long UNAVAILABLE_RETRY_AFTER = 2;

    private static OtpFailure refusal(Kind kind, String reason, String message, long retryAfterSeconds) {
        return new OtpFailure(kind, reason, message, retryAfterSeconds);
    }
}
