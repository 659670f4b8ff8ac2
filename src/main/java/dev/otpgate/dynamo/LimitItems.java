package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;

import java.util.HashMap;
import java.util.Map;

import dev.otpgate.otp.Refusals;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items of the limits table and the guarded transaction actions on them. Counters are fixed
 * windows, one item per window ({@code sends#user#1#967#1953412}), so a count never needs a read
 * first and old windows simply expire by TTL. Keys hold ids and keyed hashes, never a destination.
 */
final class LimitItems {

    private final String table;

    LimitItems(String table) {
        this.table = table;
    }

    static String user(String domainId, String userId) {
        return "user#" + domainId + "#" + userId;
    }

    static String userSends(String domainId, String userId, long window) {
        return "sends#user#" + domainId + "#" + userId + "#" + window;
    }

    static String destination(String destinationKey) {
        return "dest#" + destinationKey;
    }

    static String destinationSends(String destinationKey, long window) {
        return "sends#dest#" + destinationKey + "#" + window;
    }

    static String failedGuesses(String domainId, String userId, long hour) {
        return "fails#" + domainId + "#" + userId + "#" + hour;
    }

    /** The user's last send and its latest delivery event (DeliveryEvents), in this region. */
    static String lastSend(String domainId, String userId) {
        return "lastsend#" + domainId + "#" + userId;
    }

    static String consecutiveFailures(String domainId, String userId) {
        return "consecutive#" + domainId + "#" + userId;
    }

    // One caller's guessing of one user, on the user's consecutive item (issue 22, finding 1): its own consecutive
    // count (its waits), the moment its hold ends and why, and its wrong guesses of the hour. An attribute per
    // caller that guessed, so that `admin user unlock` (one delete) clears them all with the user's count.

    static String callerCount(String caller) {
        return "C#" + caller;
    }

    static String callerHeldUntil(String caller) {
        return "U#" + caller;
    }

    static String callerHeldBy(String caller) {
        return "B#" + caller;
    }

    static String callerHour(String caller, long hour) {
        return "H#" + caller + "#" + hour;
    }

    static String callerFailures(String caller, long hour) {
        return "fails#caller#" + caller + "#" + hour;
    }

    static String fraudAddress(String channel, String address) {
        return "fraud#addr#" + channel + "#" + address;
    }

    static String fraudCountry(String country, int shard) {
        return "fraud#country#" + country + "#" + shard;
    }

    static String fraudBudget(String channel, int shard) {
        return "fraud#budget#" + channel + "#" + shard;
    }

    /** An organisation's day item: its budget, its callers' quotas, its own country counters (FraudCounters). */
    static String fraudOrg(String orgId, String channel, long day, int shard) {
        return "fraud#org#" + orgId + "#" + channel + "#" + day + "#" + shard;
    }

    String table() {
        return table;
    }

    /**
     * A cooldown and its window counter folded into one item: records a send at {@code now} unless the last
     * one was less than {@code cooldown} seconds ago or the window's counter (attribute W&lt;window&gt;) reached
     * {@code max}; the previous window's attribute goes. {@code extra} attributes are set in the same update.
     */
    Guarded sendCounter(String key, long now, long cooldown, long window, long windowEnd, int max, long expiresAt,
            Map<String, AttributeValue> extra) {
        return sendCounter(key, now, cooldown, window, windowEnd, max, expiresAt, extra, false);
    }

    /** {@link #sendCounter} of a user's item, which also passes only while no hold is on the user (UserHolds). */
    Guarded userSendCounter(String key, long now, long cooldown, long window, long windowEnd, int max, long expiresAt,
            Map<String, AttributeValue> extra) {
        return sendCounter(key, now, cooldown, window, windowEnd, max, expiresAt, extra, true);
    }

    private Guarded sendCounter(String key, long now, long cooldown, long window, long windowEnd, int max,
            long expiresAt, Map<String, AttributeValue> extra, boolean holdable) {
        Expr e = new Expr().set(Attr.LAST_SENT_AT, n(now)).set(Attr.EXPIRES_AT, n(expiresAt))
                .add("W" + window, 1).remove("W" + (window - 1));
        extra.forEach(e::set);
        String last = e.name(Attr.LAST_SENT_AT);
        e.condition("(attribute_not_exists(" + last + ") OR " + last + " <= " + e.value(n(now - cooldown)) + ")")
                .below("W" + window, max);
        if (holdable) {
            String held = e.name(Attr.HELD_UNTIL);
            e.condition("(attribute_not_exists(" + held + ") OR " + held + " <= " + e.value(n(now)) + ")");
        }
        return new Guarded(e.action(table, key, true), old -> {
            if (Attr.number(old, Attr.HELD_UNTIL) > now) {
                return held(old, now);
            }
            long lastSent = Attr.number(old, Attr.LAST_SENT_AT);
            return lastSent > now - cooldown ? Refusals.tooManySends(Math.max(1, lastSent + cooldown - now))
                    : Refusals.tooManySends(Math.max(1, windowEnd - now));
        });
    }

    /** Adds one to a window's counter unless it already reached {@code max}. */
    Guarded count(String key, int max, long windowEnd, long now) {
        return new Guarded(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(key)))
                .updateExpression("ADD #c :one SET #x = :x")
                .conditionExpression("attribute_not_exists(#c) OR #c < :max")
                .expressionAttributeNames(Map.of("#c", Attr.COUNT, "#x", Attr.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":one", n(1), ":max", n(max), ":x", n(windowEnd))))
                .build(), old -> Refusals.tooManySends(Math.max(1, windowEnd - now)));
    }

    /** Passes only while the user has failed guesses left this hour; writes nothing. */
    Guarded guessBudgetLeft(String key, int max, long hourEnd, long now) {
        return new Guarded(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(key)))
                .conditionExpression("attribute_not_exists(#c) OR #c < :max")
                .expressionAttributeNames(Map.of("#c", Attr.COUNT))
                .expressionAttributeValues(Map.of(":max", n(max))))
                .build(), old -> Refusals.guessBudgetSpent(Math.max(1, hourEnd - now)));
    }

    /** Adds one to the failed-guess counter of the hour unless the budget is spent. */
    Guarded countFailure(String key, int max, long hourEnd, long now) {
        Guarded counted = count(key, max, hourEnd, now);
        return new Guarded(counted.action(), old -> Refusals.guessBudgetSpent(Math.max(1, hourEnd - now)));
    }

    /**
     * Records a send at {@code now} unless the last one was less than {@code cooldown} seconds ago;
     * {@code extra} attributes are set in the same update.
     */
    Guarded cooldown(String key, long now, long cooldown, long expiresAt, Map<String, AttributeValue> extra) {
        Map<String, String> names = new HashMap<>(Map.of("#l", Attr.LAST_SENT_AT, "#x", Attr.EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":now", n(now), ":cutoff", n(now - cooldown), ":x", n(expiresAt)));
        StringBuilder set = new StringBuilder("SET #l = :now, #x = :x");
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : extra.entrySet()) {
            names.put("#e" + i, e.getKey());
            values.put(":e" + i, e.getValue());
            set.append(", #e").append(i).append(" = :e").append(i);
            i++;
        }
        return new Guarded(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(key)))
                .updateExpression(set.toString())
                .conditionExpression("attribute_not_exists(#l) OR #l <= :cutoff")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build(), old -> Refusals.tooManySends(Math.max(1, Attr.number(old, Attr.LAST_SENT_AT) + cooldown - now)));
    }

    /**
     * Passes only while the transaction is still the user's current one (no newer code was sent) and no hold
     * is on the user (UserHolds).
     */
    Guarded current(String domainId, String userId, String transactionId, long now) {
        return new Guarded(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(user(domainId, userId))))
                .conditionExpression(CURRENT_AND_FREE)
                .expressionAttributeNames(Map.of("#t", Attr.CURRENT_TRANSACTION, "#h", Attr.HELD_UNTIL))
                .expressionAttributeValues(Map.of(":t", s(transactionId), ":now", n(now)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build(), old -> Attr.number(old, Attr.HELD_UNTIL) > now ? held(old, now) : Refusals.replaced());
    }

    /**
     * {@link #current}, and puts a hold on the user until {@code until}: {@code reason} failures_locked (the
     * user-wide cap; a caller's waits are its own, on the consecutive item since issue 22). The item lives at least as long as the hold, and as long as its send counters (a day).
     */
    Guarded hold(String domainId, String userId, String transactionId, long now, String reason, long until) {
        return new Guarded(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(user(domainId, userId))))
                .updateExpression("SET #h = :until, #by = :by, #x = :x")
                .conditionExpression(CURRENT_AND_FREE)
                .expressionAttributeNames(Map.of("#t", Attr.CURRENT_TRANSACTION, "#h", Attr.HELD_UNTIL,
                        "#by", Attr.HELD_BY, "#x", Attr.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":t", s(transactionId), ":now", n(now), ":until", n(until),
                        ":by", s(reason), ":x", n(Math.max(until, now + 2 * 86400))))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build(), old -> Attr.number(old, Attr.HELD_UNTIL) > now ? held(old, now) : Refusals.replaced());
    }

    private static final String CURRENT_AND_FREE = "#t = :t AND (attribute_not_exists(#h) OR #h <= :now)";

    private static dev.otpgate.otp.OtpFailure held(Map<String, AttributeValue> old, long now) {
        return Refusals.held(Attr.string(old, Attr.HELD_BY), Attr.number(old, Attr.HELD_UNTIL) - now);
    }
}
