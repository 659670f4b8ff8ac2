package dev.otpgate.dynamo;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short hands for DynamoDB attribute values, and the attribute names the tables use. */
public final class Attr {

    // otp-users: one item per user, keyed by (DomainId, UserID)
    public static final String DOMAIN_ID = "DomainId";
    public static final String USER_ID = "UserID";
    public static final String USER_NAME = "UserName";
    public static final String MOBILE = "Mobile";
    public static final String EMAIL = "Email";
    /** SMS or EMAIL: the channel the user prefers, where the organisation allows it. */
    public static final String PREFER = "Prefer";
    /** BCP 47: the language of the user's messages. */
    public static final String LOCALE = "Locale";

    // otp-callers: one item per API caller, keyed by (OrgID, UserName); DomainId/UserID name the
    // directory user the caller is (optional)
    public static final String ORG_ID = "OrgID";
    /** Argon2id, PHC string format. */
    public static final String PASSWORD_HASH = "PasswordHash";
    /** Map of key id to {Sha256, ExpiresAt, Revoked, CreatedAt}. */
    public static final String API_KEYS = "ApiKeys";
    public static final String SHA256 = "Sha256";
    public static final String REVOKED = "Revoked";
    /** String set of DomainIds whose users the caller may generate codes for. */
    public static final String GENERATE_FOR = "GenerateFor";
    /** Wrong passwords in the window that ends at FailWindowEndsAt. */
    public static final String FAILURES = "Failures";
    /** Epoch seconds: when the window the Failures are counted in ends (its length is set when it starts). */
    public static final String FAIL_WINDOW_ENDS_AT = "FailWindowEndsAt";
    /**
     * The old format's window (epoch seconds / window length), with no end: an item that has it is
     * treated as an ended window, and the attribute removed when the next attempt starts a new one.
     */
    public static final String FAIL_WINDOW = "FailWindow";
    /** Checks of sources with no wrong password of their own since the ceiling was reached, in the minute below. */
    public static final String CEILING_CHECKS = "CeilingChecks";
    /** Epoch seconds: when the minute CeilingChecks are counted in ends. */
    public static final String CEILING_MINUTE_ENDS_AT = "CeilingMinuteEndsAt";
    /** Epoch milliseconds: the caller's TokenIDs issued at or before this time are refused. */
    public static final String TOKENS_NOT_BEFORE = "TokensNotBefore";
    /** Boolean: an operator locked the caller (FORM, APIKEY and its TokenIDs refused) until unlocked. */
    public static final String LOCKED = "Locked";

    // otp-transactions: one item per code handed out, keyed by TransactionID
    public static final String TRANSACTION_ID = "TransactionID";
    public static final String LOGIN_UID = "LoginUID";
    public static final String CHANNEL = "Channel";
    public static final String CODE_HASH = "CodeHash";
    public static final String CREATED_AT = "CreatedAt";
    public static final String STATE = "State";
    public static final String ATTEMPTS_LEFT = "AttemptsLeft";
    /**
     * Where the code went (otp/DestinationCountry: the SMS number's ISO region, EMAIL, XX), for its validation's
     * conversion metric; kept until the transaction expires, unlike SentToCountry. Absent on older codes.
     */
    public static final String COUNTRY = "Country";
    /** The provider's id of the message that carried a code (End User Messaging), for its conversion feedback. */
    public static final String MESSAGE_ID = "MessageId";
    /** The last delivery event of a send (End User Messaging's event type) and its time, epoch milliseconds. */
    public static final String LAST_OUTCOME = "LastOutcome";
    public static final String LAST_OUTCOME_AT = "LastOutcomeAt";
    /** On a directory user: the last send's TransactionID, when it was sent (epoch seconds), its last outcome and time. */
    public static final String LAST_SEND = "LastSend";
    public static final String LAST_SEND_AT = "LastSendAt";
    public static final String LAST_SEND_OUTCOME = "LastSendOutcome";
    public static final String LAST_SEND_OUTCOME_AT = "LastSendOutcomeAt";
    /** Digits of the code; absent on codes written before organisations chose their own length. */
    public static final String CODE_LENGTH = "CodeLength";
    /**
     * The fraud guard's mark of the send, kept only on the transaction (minutes) for its validation to take the
     * send back from the unverified counters: channel, source address, destination country, the country
     * counter's shard, the epoch hour of the send. Removed by the validation.
     */
    public static final String SENT_CHANNEL = "SentChannel";
    public static final String SENT_FROM = "SentFrom";
    public static final String SENT_TO_COUNTRY = "SentToCountry";
    public static final String SENT_SHARD = "SentShard";
    public static final String SENT_HOUR = "SentHour";
    /** The shard of the organisation's day item the send was counted on; absent on older codes. */
    public static final String SENT_ORG_SHARD = "SentOrgShard";
    // otp-limits: counters, cooldowns and each user's current code, keyed by LimitKey (see LimitItems)
    public static final String LIMIT_KEY = "LimitKey";
    public static final String COUNT = "Count";
    /** An organisation's sends of the day on one shard of its day item (FraudCounters). */
    public static final String SENDS = "Sends";
    public static final String LAST_SENT_AT = "LastSentAt";
    public static final String CURRENT_TRANSACTION = "CurrentTransactionID";
    /**
     * Epoch milliseconds, on a source's wrong-password record (LimitKey authfail#...): no attempt of that
     * source is checked before it. Count on the same item is the source's wrong passwords.
     */
    public static final String BLOCKED_UNTIL = "BlockedUntil";
    /**
     * Epoch seconds, on a user's item (LimitKey user#...): while later than now, the user's generates and
     * validations are refused (dynamo/UserHolds). HeldBy says why: failures_wait (the back-off after twenty
     * consecutive wrong codes) or failures_locked (the cap: until an operator unlocks, or 30 days).
     */
    public static final String HELD_UNTIL = "HeldUntil";
    public static final String HELD_BY = "HeldBy";
    /** Epoch milliseconds, on a source's record: that source's last right password for the caller. */
    public static final String LAST_LOGIN_AT = "LastLoginAt";

    /** Epoch seconds; the TTL attribute of every table that expires items. */
    public static final String EXPIRES_AT = "ExpiresAt";

    private Attr() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    public static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
