package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.s;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.otpgate.otp.OrgKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The holds on a user under attack by guessing (docs/limits-and-fraud.md "Users under attack"), for operators:
 * what holds a user, and the unlock. A hold is HeldUntil (epoch seconds) and HeldBy (failures_wait or
 * failures_locked) on the user's item {@code user#<domain>#<user>} of otp-limits, set by the wrong guess that
 * reached it; the generate's and the validation's conditions on that item refuse while it holds. otp-limits is
 * regional: the user-wide lock is also copied to the user's directory item (UserLockMirror, a global table), which
 * every region's generate honours; the unlock clears both here, and each region's own counters in that region.
 */
public final class UserHolds {

    /** What holds a user: {@code reason} failures_wait or failures_locked, until when, after how many failures. */
    public record Hold(String reason, Instant until, long consecutiveFailures) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final OrgKeys keys;
    private final String usersTable;
    private final UserLockMirror mirror;

    public UserHolds(DynamoDbClient dynamo, String limitsTable, String usersTable, OrgKeys keys) {
        this.dynamo = dynamo;
        this.table = limitsTable;
        this.keys = keys;
        this.usersTable = usersTable;
        this.mirror = new UserLockMirror(dynamo, usersTable);
    }

    /** The hold on the user at {@code now}, if any. */
    public Optional<Hold> hold(String org, String domain, String user, Instant now) {
        String d = keys.scoped(org, domain);
        Map<String, AttributeValue> item = read(LimitItems.user(d, user));
        long until = Attr.number(item, Attr.HELD_UNTIL);
        if (until <= now.getEpochSecond()) {
            // no hold in this region: the user-wide lock may have been set in another (its copy in the directory)
            Map<String, AttributeValue> entry = dynamo.getItem(r -> r.tableName(usersTable)
                    .key(Map.of(Attr.DOMAIN_ID, s(d), Attr.USER_ID, s(user))).consistentRead(true)).item();
            return entry != null && UserLockMirror.locked(entry, now.getEpochSecond())
                    ? Optional.of(new Hold(UserLockMirror.LOCKED, Instant.ofEpochSecond(Attr.number(entry, Attr.HELD_UNTIL)), -1))
                    : Optional.empty();
        }
        long failures = Attr.number(read(LimitItems.consecutiveFailures(d, user)), Attr.COUNT);
        return Optional.of(new Hold(Attr.string(item, Attr.HELD_BY), Instant.ofEpochSecond(until), failures));
    }

    /**
     * Clears the user's consecutive wrong guesses, the hold they set and this hour's failed guesses: the user
     * can get a code and use it at once. False when there was nothing to clear.
     */
    public boolean unlock(String org, String domain, String user, Instant now) {
        String d = keys.scoped(org, domain);
        boolean cleared = delete(LimitItems.consecutiveFailures(d, user));
        cleared |= mirror.unlock(d, user); // the lock's copy that the other regions honour
        cleared |= delete(LimitItems.failedGuesses(d, user, now.getEpochSecond() / 3600));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(Map.of(Attr.LIMIT_KEY, s(LimitItems.user(d, user))))
                    .updateExpression("REMOVE #h, #by")
                    .conditionExpression("attribute_exists(#h)") // never makes an item of a user without one
                    .expressionAttributeNames(Map.of("#h", Attr.HELD_UNTIL, "#by", Attr.HELD_BY)));
            cleared = true;
        } catch (ConditionalCheckFailedException none) {
            // no hold
        }
        return cleared;
    }

    private Map<String, AttributeValue> read(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(key))).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private boolean delete(String key) {
        Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table)
                .key(Map.of(Attr.LIMIT_KEY, s(key))).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }
}
