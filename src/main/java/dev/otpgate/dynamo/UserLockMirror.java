package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;

import java.util.Map;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The user-wide lock at the consecutive-failure cap (failures_locked, UserHolds), copied onto the user's directory
 * item (otp-users, a global table), so that it follows the user to every region within the replication lag
 * (docs/regions.md "What protects a user follows the user"). The lock itself lives on the user's item of otp-limits,
 * which is regional; every generate already reads the directory item, so the copy costs no read. It is written once,
 * when the lock is set (one UpdateItem, only then), and removed by the unlock.
 */
public final class UserLockMirror {

    private static final Logger LOG = Logger.getLogger(UserLockMirror.class);
    static final String LOCKED = "failures_locked";

    private final DynamoDbClient dynamo;
    private final String users;

    public UserLockMirror(DynamoDbClient dynamo, String usersTable) {
        this.dynamo = dynamo;
        this.users = usersTable;
    }

    /** The lock now holds the user ({@code domainKey}: the organisation's DomainId key) until {@code until}. */
    public void lock(String domainKey, String userId, long until) {
        try {
            dynamo.updateItem(r -> r.tableName(users).key(key(domainKey, userId))
                    .updateExpression("SET #h = :until, #by = :locked")
                    .conditionExpression("attribute_exists(#u)") // a removed user gets no item back
                    .expressionAttributeNames(Map.of("#h", Attr.HELD_UNTIL, "#by", Attr.HELD_BY, "#u", Attr.USER_ID))
                    .expressionAttributeValues(Map.of(":until", n(until), ":locked", s(LOCKED))));
        } catch (ConditionalCheckFailedException gone) {
            // the user was removed meanwhile: nothing to hold
        } catch (SdkException e) {
            // The lock holds in this region regardless (otp-limits); only its copy for the other regions is missing.
            LOG.warnf("The lock of a user could not be copied to the directory (other regions): %s", e.toString());
        }
    }

    /** Removes the copy; false when there was none. */
    public boolean unlock(String domainKey, String userId) {
        try {
            dynamo.updateItem(r -> r.tableName(users).key(key(domainKey, userId))
                    .updateExpression("REMOVE #h, #by")
                    .conditionExpression("attribute_exists(#h)")
                    .expressionAttributeNames(Map.of("#h", Attr.HELD_UNTIL, "#by", Attr.HELD_BY)));
            return true;
        } catch (ConditionalCheckFailedException none) {
            return false;
        }
    }

    /** True when a directory item carries a lock that still holds at {@code nowEpochSecond}. */
    public static boolean locked(Map<String, AttributeValue> userItem, long nowEpochSecond) {
        return LOCKED.equals(Attr.string(userItem, Attr.HELD_BY)) && Attr.number(userItem, Attr.HELD_UNTIL) > nowEpochSecond;
    }

    private static Map<String, AttributeValue> key(String domainKey, String userId) {
        return Map.of(Attr.DOMAIN_ID, s(domainKey), Attr.USER_ID, s(userId));
    }
}
