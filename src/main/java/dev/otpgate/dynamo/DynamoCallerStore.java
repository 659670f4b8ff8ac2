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
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * API callers in DynamoDB, keyed by (OrgID, UserName), and their wrong passwords: per (caller, source)
 * ({@link #sourceKey}) and per caller (the ceiling, {@link #ceilingKey}), both in the limits table, regional,
 * expiring with TTL. The function only reads the callers table: it is a global table, where a write of the
 * caller's item in one region would undo an operator's removal, revocation or password change made in the
 * other within the replication lag (last writer wins per item; docs/regions.md). A FORM login is one
 * BatchGetItem (the caller and its two limit items, strongly consistent), one TransactWriteItems counting
 * the attempt in both limit items under the conditions the read was checked against, and after the check
 * either one TransactWriteItems (right password: the source's record replaced by its last login, the attempt
 * taken back out of the ceiling) or, past the free failures, one UpdateItem setting the source's back-off.
 * The TokenID check reads only TokensNotBefore and Locked, through Authenticator's per-instance cache
 * (CallerStateCache).
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

    /** The part of the caller's ceiling item's key after the caller's prefix; see {@link #ceilingKey}. */
    static final String CEILING_RECORD = "ceiling";

    private static final Map<String, String> COUNTER_NAMES = Map.of("#f", Attr.FAILURES, "#e", Attr.FAIL_WINDOW_ENDS_AT);
    private static final Map<String, String> CEILING_NAMES = Map.of("#f", Attr.FAILURES, "#e", Attr.FAIL_WINDOW_ENDS_AT,
            "#x", Attr.EXPIRES_AT);
    private static final Map<String, String> RANGE_NAMES = Map.of("#c", Attr.CEILING_CHECKS,
            "#m", Attr.CEILING_MINUTE_ENDS_AT, "#x", Attr.EXPIRES_AT);
    private static final Map<String, String> SOURCE_NAMES = Map.of("#c", Attr.COUNT, "#b", Attr.BLOCKED_UNTIL,
            "#x", Attr.EXPIRES_AT);
    /** A source's attempt: counted, and its record held while it is checked ({@link #IN_FLIGHT}). */
    private static final String SOURCE_TAKE = "ADD #c :one SET #b = :held, #x = :exp";
    /** ... while it has free failures left or its back-off has ended (a record without a count: no failures). */
    private static final String SOURCE_TAKE_CONDITION =
            "attribute_not_exists(#c) OR (#x > :nows AND (#c < :free OR #b <= :now))";

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
        Read read = read(orgId, userName, source);
        if (read.caller().isEmpty()) { // an unknown name still counts against its source (the same answers)
            SourceTake taken = takeSourceAttempt(orgId, userName, source, now);
            return new PasswordAttempt(taken.count() == 0 ? Outcome.DELAYED : Outcome.UNKNOWN, null, orgId, userName,
                    source, taken.count(), 0, 0);
        }
        CallerAccount account = account(read.caller());
        if (waiting(read.source(), now)) { // what the source's conditional count would refuse: no write needed
            return new PasswordAttempt(Outcome.DELAYED, null, orgId, userName, source, 0, 0, 0);
        }
        Optional<PasswordAttempt> both = takeBoth(read, account, orgId, userName, source, now);
        if (both.isPresent()) {
            return both.get();
        }
        // One write at a time: a source's record expired, the ceiling reached, or a parallel attempt came between.
        SourceTake taken = takeSourceAttempt(orgId, userName, source, now);
        if (taken.count() == 0) {
            return new PasswordAttempt(Outcome.DELAYED, null, orgId, userName, source, 0, 0, 0);
        }
        return takeCeilingAttempt(account, orgId, userName, source, taken, now);
    }

    /** The caller's item (global table), its source's record and its ceiling (limits, regional), as read together. */
    private record Read(Map<String, AttributeValue> caller, Map<String, AttributeValue> source,
            Map<String, AttributeValue> ceiling) {
    }

    /**
     * One BatchGetItem, strongly consistent: the caller (what a FORM login checks against) and its two limit
     * items, which the writes after it are conditioned on. Keys the batch leaves unprocessed (throttling) are
     * asked again.
     */
    private Read read(String orgId, String userName, String source) {
        Map<String, AttributeValue> callerKey = key(orgId, userName);
        Map<String, AttributeValue> sourceKey = sourceKey(orgId, userName, source);
        Map<String, AttributeValue> ceilingKey = ceilingKey(orgId, userName);
        Map<String, KeysAndAttributes> ask = Map.of(
                table, KeysAndAttributes.builder().keys(callerKey).consistentRead(true).build(),
                limits, KeysAndAttributes.builder().keys(sourceKey, ceilingKey).consistentRead(true).build());
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int round = 0; round < 5 && !ask.isEmpty(); round++) {
            Map<String, KeysAndAttributes> asking = ask;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(asking));
            r.responses().forEach((t, items) -> items.forEach(item -> found.put(t + keyOf(t, item), item)));
            ask = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        if (!ask.isEmpty()) {
            throw new IllegalStateException("DynamoDB left keys of a login's read unprocessed five times");
        }
        return new Read(found.getOrDefault(table + keyOf(table, callerKey), Map.of()),
                found.getOrDefault(limits + keyOf(limits, sourceKey), Map.of()),
                found.getOrDefault(limits + keyOf(limits, ceilingKey), Map.of()));
    }

    private String keyOf(String inTable, Map<String, AttributeValue> item) {
        return inTable.equals(table) ? "#" + string(item, Attr.ORG_ID) + "#" + string(item, Attr.USER_NAME)
                : "#" + string(item, Attr.LIMIT_KEY);
    }

    /** The source waits out its back-off: its record counts failures past the free ones and holds it until later. */
    private boolean waiting(Map<String, AttributeValue> record, Instant now) {
        return record.containsKey(Attr.COUNT) && Attr.number(record, Attr.EXPIRES_AT) > now.getEpochSecond()
                && Attr.number(record, Attr.COUNT) >= freeFailures
                && Attr.number(record, Attr.BLOCKED_UNTIL) > now.toEpochMilli();
    }

    /**
     * The usual login: the attempt counted in its source's record and in the caller's ceiling in one
     * TransactWriteItems, each write conditioned as {@link #takeSourceAttempt} and {@link #takeCeilingAttempt}
     * condition theirs (the ceiling's also on the window the read saw, so the counts known here are the counts).
     * Empty when the read shows a case those handle one write at a time (an expired source record, the ceiling
     * reached), or when the transaction is cancelled (a parallel attempt came between the read and the write).
     */
    private Optional<PasswordAttempt> takeBoth(Read read, CallerAccount account, String orgId, String userName,
            String source, Instant now) {
        Map<String, AttributeValue> record = read.source();
        long nowSeconds = now.getEpochSecond();
        if (record.containsKey(Attr.COUNT) && Attr.number(record, Attr.EXPIRES_AT) <= nowSeconds) {
            return Optional.empty(); // expired, not yet deleted by TTL: started afresh the slow way
        }
        Map<String, AttributeValue> ceiling = read.ceiling();
        boolean running = ceiling.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                && Attr.number(ceiling, Attr.FAIL_WINDOW_ENDS_AT) > nowSeconds;
        if (running && Attr.number(ceiling, Attr.FAILURES) >= this.ceiling) {
            return Optional.empty(); // the ceiling is reached: ceilingCheck
        }
        // Both writes are conditioned on the counts the read saw, so that the counts answered are the counts: a
        // parallel attempt that counted first cancels this one, which then counts one write at a time.
        Map<String, AttributeValue> sourceValues = new HashMap<>(sourceTakeValues(now));
        sourceValues.put(":seen", n(Attr.number(record, Attr.COUNT)));
        TransactWriteItem sourceTake = TransactWriteItem.builder().update(u -> u.tableName(limits)
                .key(sourceKey(orgId, userName, source))
                .updateExpression(SOURCE_TAKE)
                .conditionExpression("(" + SOURCE_TAKE_CONDITION + ") AND (attribute_not_exists(#c) OR #c = :seen)")
                .expressionAttributeNames(SOURCE_NAMES)
                .expressionAttributeValues(sourceValues)).build();
        long windowEnd;
        long callerFailures;
        TransactWriteItem ceilingTake;
        if (running) { // counted in the window the read saw, below the ceiling
            windowEnd = Attr.number(ceiling, Attr.FAIL_WINDOW_ENDS_AT);
            callerFailures = Attr.number(ceiling, Attr.FAILURES) + 1;
            ceilingTake = TransactWriteItem.builder().update(u -> u.tableName(limits).key(ceilingKey(orgId, userName))
                    .updateExpression("ADD #f :one")
                    .conditionExpression("#e = :end AND #f = :seen") // below the ceiling: checked above
                    .expressionAttributeNames(Map.of("#f", Attr.FAILURES, "#e", Attr.FAIL_WINDOW_ENDS_AT))
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", n(windowEnd), ":seen", n(callerFailures - 1))))
                    .build();
        } else { // no window, or the one the read saw has ended: this attempt starts one
            windowEnd = nowSeconds + windowSeconds;
            callerFailures = 1;
            long ended = Attr.number(ceiling, Attr.FAIL_WINDOW_ENDS_AT);
            ceilingTake = TransactWriteItem.builder().update(u -> u.tableName(limits).key(ceilingKey(orgId, userName))
                    .updateExpression("SET #f = :one, #e = :end, #x = :end")
                    .conditionExpression(ceiling.containsKey(Attr.FAIL_WINDOW_ENDS_AT) ? "#e = :ended"
                            : "attribute_not_exists(#e)")
                    .expressionAttributeNames(CEILING_NAMES)
                    .expressionAttributeValues(ceiling.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                            ? Map.of(":one", n(1), ":end", n(nowSeconds + windowSeconds), ":ended", n(ended))
                            : Map.of(":one", n(1), ":end", n(nowSeconds + windowSeconds))))
                    .build();
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(sourceTake, ceilingTake));
        } catch (TransactionCanceledException e) {
            return Optional.empty();
        }
        return Optional.of(new PasswordAttempt(Outcome.GRANTED, account, orgId, userName, source,
                Attr.number(record, Attr.COUNT) + 1, callerFailures, windowEnd));
    }

    /** The source's record after a read that found it open: its count the read's plus this attempt. */
    private Map<String, AttributeValue> sourceTakeValues(Instant now) {
        return Map.of(":one", n(1), ":held", n(now.plus(IN_FLIGHT).toEpochMilli()),
                ":exp", n(sourceExpiry(now.plus(IN_FLIGHT))), ":nows", n(now.getEpochSecond()),
                ":free", n(freeFailures), ":now", n(now.toEpochMilli()));
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
        Map<String, AttributeValue> values = sourceTakeValues(now);
        Map<String, AttributeValue> old;
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(limits).key(key)
                    .updateExpression(SOURCE_TAKE)
                    .conditionExpression(SOURCE_TAKE_CONDITION)
                    .expressionAttributeNames(SOURCE_NAMES)
                    .expressionAttributeValues(values)
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
                    .expressionAttributeValues(Map.of(":one", n(1), ":held", values.get(":held"),
                            ":exp", values.get(":exp"), ":nows", values.get(":nows"))));
            return new SourceTake(1, false);
        } catch (ConditionalCheckFailedException raced) {
            return new SourceTake(0, false); // a parallel attempt of the same source restarted it first
        }
    }

    /**
     * Counts the attempt in the caller's ceiling window, on its item in the limits table (regional: never the
     * caller's item, see docs/regions.md). The window is stored as the moment it ends (FailWindowEndsAt,
     * epoch seconds), compared with now: a window started under another configured length still ends when
     * it said it would; the item expires (TTL) when its window ends.
     */
    private PasswordAttempt takeCeilingAttempt(CallerAccount account, String orgId, String userName, String source,
            SourceTake taken, Instant now) {
        long sourceFailures = taken.count();
        AttributeValue nowSeconds = n(now.getEpochSecond());
        long endSeconds = now.getEpochSecond() + windowSeconds;
        AttributeValue end = n(endSeconds);
        // Two rounds at most: the second only when a concurrent attempt opened the window between our calls.
        for (int round = 0; round < 2; round++) {
            Map<String, AttributeValue> old;
            try {
                // Count in the running window (or in no window, opening one) below the ceiling.
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(limits).key(ceilingKey(orgId, userName))
                        .updateExpression("ADD #f :one SET #e = if_not_exists(#e, :end), #x = if_not_exists(#x, :end)")
                        .conditionExpression("(attribute_not_exists(#f) AND attribute_not_exists(#e)) "
                                + "OR (#e > :now AND #f < :max)")
                        .expressionAttributeNames(CEILING_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds,
                                ":max", n(ceiling)))
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                        .attributes();
                return new PasswordAttempt(Outcome.GRANTED, account, orgId, userName, source, sourceFailures,
                        Attr.number(item, Attr.FAILURES), Attr.number(item, Attr.FAIL_WINDOW_ENDS_AT));
            } catch (ConditionalCheckFailedException e) {
                old = e.hasItem() ? e.item() : Map.of();
            }
            if (old.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                    && Attr.number(old, Attr.FAIL_WINDOW_ENDS_AT) > now.getEpochSecond()
                    && Attr.number(old, Attr.FAILURES) >= ceiling) {
                return ceilingCheck(account, old, orgId, userName, source, taken, now);
            }
            try { // the window has ended: start a new one with this attempt
                dynamo.updateItem(r -> r.tableName(limits).key(ceilingKey(orgId, userName))
                        .updateExpression("SET #f = :one, #e = :end, #x = :end")
                        .conditionExpression("attribute_not_exists(#f) OR attribute_not_exists(#e) OR #e <= :now")
                        .expressionAttributeNames(CEILING_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds)));
                return new PasswordAttempt(Outcome.GRANTED, account, orgId, userName, source, sourceFailures, 1,
                        endSeconds);
            } catch (ConditionalCheckFailedException raced) {
                // another attempt started this window first: look again
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
    private PasswordAttempt ceilingCheck(CallerAccount account, Map<String, AttributeValue> ceilingItem, String orgId,
            String userName, String source, SourceTake taken, Instant now) {
        if (taken.recentLogin()) { // not counted in the window: its own back-off bounds it
            return new PasswordAttempt(Outcome.GRANTED, account, orgId, userName, source, taken.count(),
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
            return countedInTotal(account, orgId, userName, source, taken, now, ceilingItem, refused);
        } catch (ConditionalCheckFailedException e) {
            // this minute's checks are used up, or its minute has ended: try to start a new minute
        }
        try {
            dynamo.updateItem(r -> r.tableName(limits).key(range)
                    .updateExpression("SET #c = :one, #m = :end, #x = :end")
                    .conditionExpression("#m <= :now")
                    .expressionAttributeNames(RANGE_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", minuteEnd, ":now", nowSeconds)));
            return countedInTotal(account, orgId, userName, source, taken, now, ceilingItem, refused);
        } catch (ConditionalCheckFailedException e) {
            return refused;
        }
    }

    /** A check past the ceiling counted in the caller's running window below its total (one UpdateItem), or refused. */
    private PasswordAttempt countedInTotal(CallerAccount account, String orgId, String userName, String source,
            SourceTake taken, Instant now, Map<String, AttributeValue> ceilingItem, PasswordAttempt refused) {
        long windowEnd = Attr.number(ceilingItem, Attr.FAIL_WINDOW_ENDS_AT);
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(limits).key(ceilingKey(orgId, userName))
                    .updateExpression("ADD #f :one")
                    .conditionExpression("#e = :end AND #e > :now AND #f < :max")
                    .expressionAttributeNames(COUNTER_NAMES)
                    .expressionAttributeValues(Map.of(":one", n(1), ":end", n(windowEnd), ":now",
                            n(now.getEpochSecond()), ":max", n(maxFailures)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new PasswordAttempt(Outcome.GRANTED, account, orgId, userName, source, taken.count(),
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
        TransactWriteItem giveBack = TransactWriteItem.builder().update(u -> u.tableName(limits)
                .key(ceilingKey(attempt.orgId(), attempt.userName()))
                .updateExpression("ADD #f :minus")
                .conditionExpression("#f > :zero AND #e = :end")
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
            dynamo.updateItem(r -> r.tableName(limits).key(ceilingKey(attempt.orgId(), attempt.userName()))
                    .updateExpression("ADD #f :minus")
                    .conditionExpression("#f > :zero AND #e = :end")
                    .expressionAttributeNames(COUNTER_NAMES)
                    .expressionAttributeValues(Map.of(":minus", n(-1), ":zero", n(0),
                            ":end", n(attempt.ceilingWindowEnd()))));
        } catch (ConditionalCheckFailedException gone) {
            // the window ended or was cleared (unlock): nothing to give back
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

    /**
     * The key of the caller's ceiling (its wrong passwords of all sources in the running window), beside its
     * sources' records: regional, as they are; a source's key never has a letter 'g'.
     */
    public static Map<String, AttributeValue> ceilingKey(String orgId, String userName) {
        return Map.of(Attr.LIMIT_KEY, s(sourceKeyPrefix(orgId, userName) + CEILING_RECORD));
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
