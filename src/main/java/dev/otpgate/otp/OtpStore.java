package dev.otpgate.otp;

import java.time.Instant;
import java.util.Optional;

/**
 * Where handed-out codes (their hashes) live, together with the limits that guard them, each
 * organisation's apart. Each method is one atomic step, so that concurrent requests can never get past
 * a limit together. Limit breaches are thrown as {@link OtpFailure}s made by {@link Refusals}.
 */
public interface OtpStore {

    /**
     * Checks and counts the send limits of the user and of the destination, makes this transaction
     * the user's current one (so every older code stops working) and writes it; all or nothing.
     *
     * @param destinationKey a keyed hash of the destination, so that no phone number or address is
     *        stored in the limits
     */
    void issue(OtpTransaction transaction, String destinationKey, Policy.Limits limits, Instant now);

    /**
     * Sends a pending code another way after the first channel's provider refused it: the transaction's
     * channel changes and the new destination's limits are checked and counted; all or nothing.
     */
    void redirect(OtpTransaction transaction, Channel channel, String destinationKey, Policy.Limits limits, Instant now);

    /** Makes a transaction whose code never reached its user unusable for good. */
    void markUndelivered(String transactionId);

    /** Reads a transaction, strongly consistent; expired ones too (TTL deletion lags). */
    Optional<OtpTransaction> find(String transactionId);

    /** Marks the code used, if it is still pending, unexpired, the user's current code, and within the user's budget. */
    void consume(OtpTransaction transaction, int failedGuessesPerHour, Instant now);

    /** Counts a wrong guess against the code and the user's hourly budget; returns the attempts left on the code. */
    int recordWrongGuess(OtpTransaction transaction, int failedGuessesPerHour, Instant now);
}
