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
    default void issue(OtpTransaction transaction, String destinationKey, Policy.Limits limits, Instant now) {
        issue(transaction, destinationKey, limits, now, FraudCheck.NONE);
    }

    /**
     * {@link #issue(OtpTransaction, String, Policy.Limits, Instant)} with the fraud guard's counters checked
     * and counted in the same write. Answers the heuristic rules that would have refused the send in record
     * mode (empty when none did, and always in deny mode, where they refuse).
     */
    java.util.List<String> issue(OtpTransaction transaction, String destinationKey, Policy.Limits limits, Instant now,
            FraudCheck fraud);

    /** A country's verified codes, summed over {@code shards} shards of its counter (one BatchGetItem). */
    CountryTraffic countryTraffic(Channel channel, String country, int shards, Instant now);

    /**
     * The guess limits a validation write checks: per caller per user per hour ({@code perHour}), per user
     * consecutive (the cap, user-wide; each caller's own consecutive count sets its waits), per caller per hour.
     */
    record GuessLimits(int perHour, int consecutive, String caller, int callerPerHour) {
    }

    /**
     * Sends a pending code another way after the first channel's provider refused it: the transaction's
     * channel changes and the new destination's limits are checked and counted; all or nothing.
     */
    void redirect(OtpTransaction transaction, Channel channel, String country, String destinationKey, Policy.Limits limits,
            Instant now);

    /** Makes a transaction whose code never reached its user unusable for good. */
    void markUndelivered(String transactionId);

    /** Keeps the provider's id of the message that carried the code on its transaction (one UpdateItem). */
    void recordMessageId(String transactionId, String messageId);

    /**
     * Records a delivery event's type on the transaction it names, if the transaction belongs to the event's organisation,
     * was sent as the event's MessageId and has no later event recorded; answers the transaction then, else empty.
     */
    Optional<OtpTransaction> recordOutcome(DeliveryEvent event);

    /**
     * Keeps the outcome of the user's last send (for `admin user show`) with the region's limits, never on the
     * directory's replicated item: the transaction, when it was sent, the event type and when; an event of an older
     * send than the one recorded, or an older event of the same send, changes nothing.
     */
    void recordLastSend(OtpTransaction transaction, DeliveryEvent event);

    /** Reads a transaction, strongly consistent; expired ones too (TTL deletion lags). */
    Optional<OtpTransaction> find(String transactionId);

    /** Marks the code used, if it is still pending, unexpired, the user's current code, and within the user's budget. */
    void consume(OtpTransaction transaction, GuessLimits limits, Instant now);

    /**
     * Counts a wrong guess against the code, the caller's hourly budget for the user and the consecutive counts;
     * returns the attempts left on the code and the hold this guess started, if any.
     */
    WrongGuess recordWrongGuess(OtpTransaction transaction, GuessLimits limits, Instant now);

    /**
     * A wrong guess counted: the attempts left on its code, and the hold it started (null: none): "caller_wait" or
     * "caller_locked" (the guessing caller held for this user), "user_locked" (the user-wide cap).
     */
    record WrongGuess(int attemptsLeft, String holdStarted) {
    }
}
