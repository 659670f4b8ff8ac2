package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.auth.AuthConfig;
import dev.otpgate.auth.CallerAccount;
import dev.otpgate.auth.CallerStore;
import dev.otpgate.auth.CallerStore.PasswordAttempt.Outcome;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.source.SourceAddresses;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * API callers in DynamoDB, keyed by (OrgID, UserName), and their wrong passwords: per (caller, source)
 * in the limits table ({@link #sourceKey}, expiring with TTL), per caller (the ceiling) on the caller's
 * item. A FORM login is one conditional UpdateItem on the source's record (refused while the source
 * waits out its back-off), one conditional UpdateItem on the caller that counts the attempt against the
 * ceiling and returns the whole item (so FORM costs no extra read), and after the check either one
 * TransactWriteItems (right password: the source's record deleted, the attempt taken back out of the
 * ceiling) or, past the free failures, one UpdateItem setting the source's back-off. The TokenID check
 * reads only TokensNotBefore and Locked, through Authenticator's per-instance cache (CallerStateCache).
 */
@ApplicationScoped
public class DynamoCallerStore implements CallerStore {

    /** The prefix of a source's record in the limits table; see {@link #sourceKey}. */
    public static final String SOURCE_RECORD_PREFIX = "authfail#";

    /**
     * How long an attempt holds its source's record while its password is checked (a back-off end the
     * attempt's result then replaces): longer than the function's whole time budget, so parallel guesses
     * of a source in back-off cannot slip in meanwhile, and short if the instance dies mid-check.
     */
    static final Duration IN_FLIGHT = Duration.ofSeconds(30);

    /**
     * How long a source's right password keeps it checked past the caller's ceiling (its record kept as
     * long, TTL): a day, the longest a TokenID can last (AuthPolicyCheck), so an app that logs in once per
     * TokenID is always recent.
     */
    static final Duration RECENT_LOGIN = Duration.ofDays(1);

    /** The part of a range's record key after the caller's prefix; see {@link #rangeKey}. */
    static final String RANGE_RECORD = "range ";

    private static final Map<String, String> COUNTER_NAMES = Map.of("#o", Attr.ORG_ID, "#f", Attr.FAILURES,
            "#e", Attr.FAIL_WINDOW_ENDS_AT);
    /** The same, with the old format's window index, which the writes that (re)start or clear a window remove. */
    private static final Map<String, String> COUNTER_AND_OLD_NAMES = Map.of("#o", Attr.ORG_ID, "#f", Attr.FAILURES,
            "#e", Attr.FAIL_WINDOW_ENDS_AT, "#w", Attr.FAIL_WINDOW);
    private static final Map<String, String> RANGE_NAMES = Map.of("#c", Attr.CEILING_CHECKS,
            "#m", Attr.CEILING_MINUTE_ENDS_AT, "#x", Attr.EXPIRES_AT);
    private static final Map<String, String> SOURCE_NAMES = Map.of("#c", Attr.COUNT, "#b", Attr.BLOCKED_UNTIL,
            "#x", Attr.EXPIRES_AT);

    private static final Map<String, String> TOKEN_STATE_NAMES = Map.of("#o", Attr.ORG_ID,
            "#t", Attr.TOKENS_NOT_BEFORE, "#l", Attr.LOCKED);

    private final DynamoDbClient dynamo;
    private final String table;
    private final String limits;
    private final long windowSeconds;
    private final int maxFailures;
    private final int freeFailures;
    private final long firstDelayMillis;
    private final long maxDelayMillis;
    private final int ceilingChecks;
    /** Where the slowing starts: {@link #maxFailures} (the window's total) less the checks kept for new sources. */
    private final int ceiling;

    DynamoCallerStore(DynamoDbClient dynamo, OtpConfig config, AuthConfig auth) {
        this.dynamo = dynamo;
        this.table = config.tables().callers();
        this.limits = config.tables().limits();
        this.windowSeconds = Math.max(1, auth.failureWindow().toSeconds());
        this.maxFailures = auth.maxFailures();
        this.freeFailures = auth.freeFailuresPerSource();
        this.firstDelayMillis = auth.firstDelay().toMillis();
        this.maxDelayMillis = auth.maxDelay().toMillis();
        this.ceilingChecks = auth.ceilingChecksPerMinute();
        this.ceiling = Math.max(1, maxFailures - auth.checksPastCeiling());
    }

    @Override
    public Optional<CallerAccount> find(String orgId, String userName) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(orgId, userName))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(account(item));
    }

    @Override
    public Optional<TokenState> tokenState(String orgId, String userName) {
        // Just what the check needs (the key attribute tells that the caller exists); eventually consistent.
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(orgId, userName))
                .projectionExpression("#o, #t, #l")
                .expressionAttributeNames(TOKEN_STATE_NAMES)
                .consistentRead(false)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(tokenState(item));
    }

    @Override
    public PasswordAttempt beginPasswordAttempt(String orgId, String userName, String source, Instant now) {
        SourceTake taken = takeSourceAttempt(orgId, userName, source, now);
        if (taken.count() == 0) {
            return new PasswordAttempt(Outcome.DELAYED, null, orgId, userName, source, 0, 0, 0);
        }
        return takeCallerAttempt(orgId, userName, source, taken, now);
    }

    /** The source's attempts counted so far, this one included (0: refused), and whether it logged in recently. */
    private record SourceTake(long count, boolean recentLogin) {
    }

    /**
     * Counts the attempt in the source's record: allowed while the source has free failures left, or once
     * its back-off has ended; the record is then held ({@link #IN_FLIGHT}) until the attempt's result sets
     * the next back-off. Answers the source's count with this attempt (0 when refused), and whether the
     * source's last right password for the caller is {@link #RECENT_LOGIN}.
     */
    private SourceTake takeSourceAttempt(String orgId, String userName, String source, Instant now) {
        Map<String, AttributeValue> key = sourceKey(orgId, userName, source);
        AttributeValue nowMillis = n(now.toEpochMilli());
        AttributeValue nowSeconds = n(now.getEpochSecond());
        AttributeValue held = n(now.plus(IN_FLIGHT).toEpochMilli());
        AttributeValue expires = n(sourceExpiry(now.plus(IN_FLIGHT)));
        Map<String, AttributeValue> old;
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(limits).key(key)
                    .updateExpression("ADD #c :one SET #b = :held, #x = :exp")
                    .conditionExpression("attribute_not_exists(#c) OR (#x > :nows AND (#c < :free OR #b <= :now))")
                    .expressionAttributeNames(SOURCE_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":held", held, ":exp", expires,
                            ":nows", nowSeconds, ":free", n(freeFailures), ":now", nowMillis))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return new SourceTake(Attr.number(item, Attr.COUNT),
                    Attr.number(item, Attr.LAST_LOGIN_AT) > now.minus(RECENT_LOGIN).toEpochMilli());
        } catch (ConditionalCheckFailedException e) {
            old = e.hasItem() ? e.item() : Map.of();
        }
        if (Attr.number(old, Attr.EXPIRES_AT) > now.getEpochSecond()) {
            return new SourceTake(0, false); // waiting out its back-off
        }
        try { // expired (DynamoDB's TTL deletes within days, not at once): forgotten, this attempt starts afresh
            dynamo.updateItem(r -> r.tableName(limits).key(key)
                    .updateExpression("SET #c = :one, #b = :held, #x = :exp")
                    .conditionExpression("#x <= :nows")
                    .expressionAttributeNames(SOURCE_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":held", held, ":exp", expires,
                            ":nows", nowSeconds)));
            return new SourceTake(1, false);
        } catch (ConditionalCheckFailedException raced) {
            return new SourceTake(0, false); // a parallel attempt of the same source restarted it first
        }
    }

    /**
     * Counts the attempt in the caller's ceiling window and returns the caller. The window is stored as the
     * moment it ends (FailWindowEndsAt, epoch seconds), compared with now: a window started under another
     * configured length still ends when it said it would. An item in the old format (Failures with a
     * FailWindow index and no end) counts as an ended window.
     */
    private PasswordAttempt takeCallerAttempt(String orgId, String userName, String source, SourceTake taken,
            Instant now) {
        long sourceFailures = taken.count();
        AttributeValue nowSeconds = n(now.getEpochSecond());
        long endSeconds = now.getEpochSecond() + windowSeconds;
        AttributeValue end = n(endSeconds);
        // Two rounds at most: the second only when a concurrent attempt opened the window between our calls.
        for (int round = 0; round < 2; round++) {
            Map<String, AttributeValue> old;
            try {
                // Count in the running window (or in a clean item, opening one) below the ceiling; return the item.
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                        .updateExpression("ADD #f :one SET #e = if_not_exists(#e, :end)")
                        .conditionExpression("attribute_exists(#o) AND ((attribute_not_exists(#f) AND "
                                + "attribute_not_exists(#e)) OR (#e > :now AND #f < :max))")
                        .expressionAttributeNames(COUNTER_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds,
                                ":max", n(ceiling)))
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                        .attributes();
                return new PasswordAttempt(Outcome.GRANTED, account(item), orgId, userName, source, sourceFailures,
                        Attr.number(item, Attr.FAILURES), Attr.number(item, Attr.FAIL_WINDOW_ENDS_AT));
            } catch (ConditionalCheckFailedException e) {
                old = e.hasItem() ? e.item() : Map.of();
            }
            if (old.isEmpty()) {
                return new PasswordAttempt(Outcome.UNKNOWN, null, orgId, userName, source, sourceFailures, 0, 0);
            }
            if (old.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                    && Attr.number(old, Attr.FAIL_WINDOW_ENDS_AT) > now.getEpochSecond()
                    && Attr.number(old, Attr.FAILURES) >= ceiling) {
                return ceilingCheck(old, orgId, userName, source, taken, now);
            }
            try { // the window has ended (or is in the old format): start a new one with this attempt
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                        .updateExpression("SET #f = :one, #e = :end REMOVE #w")
                        .conditionExpression("attribute_exists(#o) AND "
                                + "(attribute_not_exists(#f) OR attribute_not_exists(#e) OR #e <= :now)")
                        .expressionAttributeNames(COUNTER_AND_OLD_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
                return new PasswordAttempt(Outcome.GRANTED, account(item), orgId, userName, source, sourceFailures, 1,
                        endSeconds);
            } catch (ConditionalCheckFailedException raced) {
                // another attempt started this window first, or the caller was removed: look again
            }
        }
        return new PasswordAttempt(Outcome.CEILING, null, orgId, userName, source, sourceFailures, ceiling, 0);
    }

    /**
     * The ceiling is reached. A source whose right password for this caller is recent is checked (its own
     * back-off still applies): rotating addresses cannot shut out the app. Otherwise a source with wrong
     * passwords of its own (or another attempt in flight) is refused, and one with none is checked if one of
     * the minute's few checks of its address range (/24, /48) is left: an attacker's fresh addresses use up
     * their own ranges' checks, not everybody's; and it is counted in the caller's window up to its total
     * ({@link #maxFailures}), so that however many ranges an attacker has, the window's wrong passwords stay
     * bounded (a right password gives its attempt back, as below the ceiling).
     */
    private PasswordAttempt ceilingCheck(Map<String, AttributeValue> callerItem, String orgId, String userName,
            String source, SourceTake taken, Instant now) {
        if (taken.recentLogin()) { // not counted in the window: its own back-off bounds it
            return new PasswordAttempt(Outcome.GRANTED, account(callerItem), orgId, userName, source, taken.count(),
                    ceiling, 0);
        }
        PasswordAttempt refused = new PasswordAttempt(Outcome.CEILING, null, orgId, userName, source, taken.count(),
                ceiling, 0);
        if (taken.count() > 1) {
            return refused;
        }
        Map<String, AttributeValue> range = rangeKey(orgId, userName, SourceAddresses.rangeKey(source));
        AttributeValue nowSeconds = n(now.getEpochSecond());
        AttributeValue minuteEnd = n(now.getEpochSecond() + 60);
        try { // one of the range's checks in its running minute
            dynamo.updateItem(r -> r.tableName(limits).key(range)
                    .updateExpression("ADD #c :one SET #m = if_not_exists(#m, :end), #x = if_not_exists(#x, :end)")
                    .conditionExpression("attribute_not_exists(#c) OR (#m > :now AND #c < :max)")
                    .expressionAttributeNames(RANGE_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", minuteEnd, ":now", nowSeconds,
                            ":max", n(ceilingChecks))));
            return countedInTotal(orgId, userName, source, taken, now, callerItem, refused);
        } catch (ConditionalCheckFailedException e) {
            // this minute's checks are used up, or its minute has ended: try to start a new minute
        }
        try {
            dynamo.updateItem(r -> r.tableName(limits).key(range)
                    .updateExpression("SET #c = :one, #m = :end, #x = :end")
                    .conditionExpression("#m <= :now")
                    .expressionAttributeNames(RANGE_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", minuteEnd, ":now", nowSeconds)));
            return countedInTotal(orgId, userName, source, taken, now, callerItem, refused);
        } catch (ConditionalCheckFailedException e) {
            return refused;
        }
    }

    /** A check past the ceiling counted in the caller's running window below its total (one UpdateItem), or refused. */
    private PasswordAttempt countedInTotal(String orgId, String userName, String source, SourceTake taken,
            Instant now, Map<String, AttributeValue> callerItem, PasswordAttempt refused) {
        long windowEnd = Attr.number(callerItem, Attr.FAIL_WINDOW_ENDS_AT);
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                    .updateExpression("ADD #f :one")
                    .conditionExpression("attribute_exists(#o) AND #e = :end AND #e > :now AND #f < :max")
                    .expressionAttributeNames(COUNTER_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", n(windowEnd), ":now",
                            n(now.getEpochSecond()), ":max", n(maxFailures)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new PasswordAttempt(Outcome.GRANTED, account(item), orgId, userName, source, taken.count(),
                    Attr.number(item, Attr.FAILURES), windowEnd);
        } catch (ConditionalCheckFailedException spent) {
            return refused; // the window's total is reached (or the window ended or was cleared meanwhile)
        }
    }

    /**
     * One TransactWriteItems: the source's record deleted and the attempt given back to the ceiling (in the
     * window it was counted in only, never a later one). When it is cancelled (the window ended or was
     * cleared meanwhile; a conflict with another login's write on a busy caller's item; throttling), the
     * same as two plain writes, which conflict with nothing: one round trip usually, three at worst.
     */
    @Override
    public void passwordAccepted(PasswordAttempt attempt, Instant now) {
        Map<String, AttributeValue> login = recentLogin(attempt, now);
        TransactWriteItem forget = TransactWriteItem.builder().put(p -> p.tableName(limits).item(login)).build();
        if (attempt.ceilingWindowEnd() == 0) { // checked past the ceiling: nothing to give back there
            dynamo.putItem(r -> r.tableName(limits).item(login));
            return;
        }
        TransactWriteItem giveBack = TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(key(attempt.orgId(), attempt.userName()))
                .updateExpression("ADD #f :minus")
                .conditionExpression("attribute_exists(#o) AND #f > :zero AND #e = :end")
                .expressionAttributeNames(COUNTER_NAMES)
                .expressionAttributeValues(Map.of(":minus", n(-1), ":zero", n(0), ":end", n(attempt.ceilingWindowEnd()))))
                .build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(forget, giveBack));
            return;
        } catch (TransactionCanceledException e) {
            // below, one at a time
        }
        dynamo.putItem(r -> r.tableName(limits).item(login));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(attempt.orgId(), attempt.userName()))
                    .updateExpression("ADD #f :minus")
                    .conditionExpression("attribute_exists(#o) AND #f > :zero AND #e = :end")
                    .expressionAttributeNames(COUNTER_NAMES)
                    .expressionAttributeValues(Map.of(":minus", n(-1), ":zero", n(0),
                            ":end", n(attempt.ceilingWindowEnd()))));
        } catch (ConditionalCheckFailedException gone) {
            // the window ended or was cleared (unlock), or the caller removed: nothing to give back
        }
    }

    @Override
    public Lockout passwordRejected(PasswordAttempt attempt, Instant now) {
        long failures = attempt.sourceFailures();
        if (attempt.outcome() == Outcome.CEILING) { // not checked: not the source's failure either
            giveBackSourceAttempt(attempt, now);
            return Lockout.NONE;
        }
        if (attempt.outcome() == Outcome.DELAYED || failures < freeFailures) {
            return ceilingStarted(attempt); // free failures left: the record's in-flight hold does not apply
        }
        long delay = backOff(failures - freeFailures);
        long until = now.toEpochMilli() + delay;
        try {
            dynamo.updateItem(r -> r.tableName(limits).key(sourceKey(attempt.orgId(), attempt.userName(), attempt.source()))
                    .updateExpression("SET #b = :until, #x = :exp")
                    .conditionExpression("attribute_exists(#c)") // not after an unlock or a right password
                    .expressionAttributeNames(SOURCE_NAMES)
                    .expressionAttributeValues(Map.of(":until", n(until),
                            ":exp", n(sourceExpiry(Instant.ofEpochMilli(until))))));
        } catch (ConditionalCheckFailedException cleared) {
            return ceilingStarted(attempt);
        }
        return failures == freeFailures ? Lockout.SOURCE_BACK_OFF : ceilingStarted(attempt);
    }

    /**
     * The source's record after a right password: its failures forgotten, only when it last logged in,
     * kept {@link #RECENT_LOGIN} (TTL) so that it keeps getting in past the caller's ceiling.
     */
    private Map<String, AttributeValue> recentLogin(PasswordAttempt attempt, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(sourceKey(attempt.orgId(), attempt.userName(), attempt.source()));
        item.put(Attr.LAST_LOGIN_AT, n(now.toEpochMilli()));
        item.put(Attr.EXPIRES_AT, n(now.plus(RECENT_LOGIN).getEpochSecond()));
        return item;
    }

    private void giveBackSourceAttempt(PasswordAttempt attempt, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(limits).key(sourceKey(attempt.orgId(), attempt.userName(), attempt.source()))
                    .updateExpression("ADD #c :minus SET #b = :now")
                    .conditionExpression("#c > :zero")
                    .expressionAttributeNames(Map.of("#c", Attr.COUNT, "#b", Attr.BLOCKED_UNTIL))
                    .expressionAttributeValues(Map.of(":minus", n(-1), ":zero", n(0), ":now", n(now.toEpochMilli()))));
        } catch (ConditionalCheckFailedException cleared) {
            // forgotten meanwhile (a right password, an unlock): nothing to give back
        }
    }

    private Lockout ceilingStarted(PasswordAttempt attempt) {
        return attempt.ceilingWindowEnd() > 0 && attempt.callerFailures() == ceiling
                ? Lockout.CALLER_CEILING : Lockout.NONE;
    }

    /** The wait after the {@code beyondFree}-th failure past the free ones (0: the first): doubling, capped. */
    long backOff(long beyondFree) {
        if (beyondFree >= 40) {
            return maxDelayMillis;
        }
        return Math.min(maxDelayMillis, firstDelayMillis << beyondFree);
    }

    /**
     * A source's record is kept one failure window after its back-off could end, then expires (TTL): the
     * address is stored no longer than the limits need it.
     */
    private long sourceExpiry(Instant heldUntil) {
        return heldUntil.getEpochSecond() + maxDelayMillis / 1000 + windowSeconds;
    }

    /**
     * The key of a source's record: {@code authfail#<length>:<OrgID><length>:<UserName>#<source>}, the
     * lengths making the parts unambiguous whatever characters a name has; every record of one caller
     * starts with {@link #sourceKeyPrefix}.
     */
    static Map<String, AttributeValue> sourceKey(String orgId, String userName, String source) {
        return Map.of(Attr.LIMIT_KEY, s(sourceKeyPrefix(orgId, userName) + source));
    }

    /** The key of an address range's record of checks past the caller's ceiling: beside its sources' records. */
    static Map<String, AttributeValue> rangeKey(String orgId, String userName, String range) {
        return Map.of(Attr.LIMIT_KEY, s(sourceKeyPrefix(orgId, userName) + RANGE_RECORD + range));
    }

    public static String sourceKeyPrefix(String orgId, String userName) {
        return SOURCE_RECORD_PREFIX + orgId.length() + ":" + orgId + userName.length() + ":" + userName + "#";
    }

    private Map<String, AttributeValue> key(String orgId, String userName) {
        return Map.of(Attr.ORG_ID, s(orgId), Attr.USER_NAME, s(userName));
    }

    private static TokenState tokenState(Map<String, AttributeValue> item) {
        AttributeValue locked = item.get(Attr.LOCKED);
        return new TokenState(Attr.number(item, Attr.TOKENS_NOT_BEFORE),
                locked != null && Boolean.TRUE.equals(locked.bool()));
    }

    private static CallerAccount account(Map<String, AttributeValue> item) {
        Map<String, CallerAccount.ApiKey> keys = new HashMap<>();
        AttributeValue stored = item.get(Attr.API_KEYS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((id, v) -> {
                if (v.hasM() && string(v.m(), Attr.SHA256) != null) {
                    keys.put(id, new CallerAccount.ApiKey(string(v.m(), Attr.SHA256),
                            Instant.ofEpochSecond(Attr.number(v.m(), Attr.EXPIRES_AT)),
                            Boolean.TRUE.equals(v.m().getOrDefault(Attr.REVOKED, AttributeValue.fromBool(false)).bool())));
                }
            });
        }
        AttributeValue domains = item.get(Attr.GENERATE_FOR);
        return new CallerAccount(string(item, Attr.ORG_ID), string(item, Attr.USER_NAME),
                string(item, Attr.PASSWORD_HASH), keys, string(item, Attr.DOMAIN_ID), string(item, Attr.USER_ID),
                domains != null && domains.hasSs() ? Set.copyOf(domains.ss()) : Set.of(),
                Attr.number(item, Attr.TOKENS_NOT_BEFORE), tokenState(item).locked());
    }
}
