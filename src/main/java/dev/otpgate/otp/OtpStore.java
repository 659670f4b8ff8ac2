package dev.otpgate.otp;

/** Where handed-out codes (their hashes) live until they are used or expire. */
public interface OtpStore {

    /** Writes a new transaction; it must not exist yet. */
    void save(OtpTransaction transaction);

    /** Makes a transaction whose code never reached its user unusable for good. */
    void markUndelivered(String transactionId);
}
