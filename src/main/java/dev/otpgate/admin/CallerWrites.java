package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.otpgate.dynamo.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The writes behind the operators' tool: users' contact details and callers' hashes, keys and
 * grants. Every write is an UpdateItem that touches only what it names, so a password change keeps
 * the keys and a key change keeps the password. Never on the request path; left out of function.zip.
 *
 * <p>Every write that takes something away from a caller (its removal, a key revoked or rotated, a new
 * password, its grants or self link set, an operator lock, {@link #revokeTokens}) also sets the caller's
 * TokensNotBefore to now, in the same UpdateItem: the function refuses the TokenIDs issued until then
 * within a minute (docs/authentication.md). A removed caller's TokenIDs are refused because it is gone,
 * and stay refused if its name is put again: every write that creates a caller item sets TokensNotBefore.
 */
public final class CallerWrites {

    private final DynamoDbClient dynamo;
    private final String callers;
    private final String users;
    private final Clock clock;

    public CallerWrites(DynamoDbClient dynamo, String callersTable, String usersTable) {
        this(dynamo, callersTable, usersTable, Clock.systemUTC());
    }

    public CallerWrites(DynamoDbClient dynamo, String callersTable, String usersTable, Clock clock) {
        this.dynamo = dynamo;
        this.callers = callersTable;
        this.users = usersTable;
        this.clock = clock;
    }

    /**
     * Adds or updates a directory user; a null name, mobile, e-mail, preferred channel or locale keeps the stored
     * one, "" removes it (not the name). {@code domainKey} is the domain as the user's organisation keys it (otp/OrgKeys).
     */
    public void putUser(String domainKey, String userId, String userName, String mobile, String email, String prefer,
            String locale) {
        Update u = new Update();
        if (userName != null) {
            u.set(Attr.USER_NAME, s(userName));
        }
        u.setOrRemove(Attr.MOBILE, mobile);
        u.setOrRemove(Attr.EMAIL, email);
        u.setOrRemove(Attr.PREFER, prefer);
        u.setOrRemove(Attr.LOCALE, locale);
        dynamo.updateItem(r -> r.tableName(users)
                .key(Map.of(Attr.DOMAIN_ID, s(domainKey), Attr.USER_ID, s(userId)))
                .updateExpression(u.expression())
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values));
    }

    /**
     * Adds or updates a caller. A null argument keeps what is stored; {@code self} "" and an empty
     * {@code generateFor} remove the grant. {@code passwordHash} is an Argon2id PHC string, never a password.
     * Setting a password, the self link or the grants (even to what they were) ends the caller's TokenIDs,
     * which carry the grants they were issued with. Creating the item (a put with no options included)
     * sets TokensNotBefore to now, so that a removed caller's TokenIDs never come back with its name.
     */
    public void putCaller(String orgId, String userName, String passwordHash, String selfDomainId, String selfUserId,
            Set<String> generateFor) {
        Update u = new Update();
        u.set(Attr.API_KEYS, "if_not_exists(%1$s, %2$s)", AttributeValue.fromM(Map.of()));
        if (passwordHash != null) {
            u.set(Attr.PASSWORD_HASH, s(passwordHash));
        }
        if (selfDomainId != null) {
            u.setOrRemove(Attr.DOMAIN_ID, selfDomainId);
            u.setOrRemove(Attr.USER_ID, selfUserId);
        }
        if (generateFor != null) {
            if (generateFor.isEmpty()) {
                u.remove(Attr.GENERATE_FOR);
            } else {
                u.set(Attr.GENERATE_FOR, AttributeValue.fromSs(List.copyOf(generateFor)));
            }
        }
        if (passwordHash != null || selfDomainId != null || generateFor != null) {
            u.set(Attr.TOKENS_NOT_BEFORE, nowMillis());
        } else { // a new item (perhaps a removed caller's name again): no TokenID issued before it is valid
            u.set(Attr.TOKENS_NOT_BEFORE, "if_not_exists(%1$s, %2$s)", nowMillis());
        }
        dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                .updateExpression(u.expression())
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values));
    }

    /** Stores a new key's hash; false when there is no such caller. */
    public boolean addKey(String orgId, String userName, String keyId, String sha256, Instant expiresAt, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression("SET #keys.#k = :e")
                    .conditionExpression("attribute_exists(#o) AND attribute_not_exists(#keys.#k)")
                    .expressionAttributeNames(Map.of("#keys", Attr.API_KEYS, "#k", keyId, "#o", Attr.ORG_ID))
                    .expressionAttributeValues(Map.of(":e", keyEntry(sha256, expiresAt, now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Stores a new key and revokes the old one in one write (ending the caller's TokenIDs); false when the old key is not there. */
    public boolean rotateKey(String orgId, String userName, String oldKeyId, String newKeyId, String sha256,
            Instant expiresAt, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression("SET #keys.#new = :e, #keys.#old.#rev = :t, #tnb = :now")
                    .conditionExpression("attribute_exists(#keys.#old) AND attribute_not_exists(#keys.#new)")
                    .expressionAttributeNames(Map.of("#keys", Attr.API_KEYS, "#new", newKeyId, "#old", oldKeyId,
                            "#rev", Attr.REVOKED, "#tnb", Attr.TOKENS_NOT_BEFORE))
                    .expressionAttributeValues(Map.of(":e", keyEntry(sha256, expiresAt, now),
                            ":t", AttributeValue.fromBool(true), ":now", nowMillis())));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Marks a key revoked (kept, so that the tool can still show it) and ends the caller's TokenIDs, the
     * ones issued for this key and the others (a token does not say which key it came from); false when
     * the key is not there.
     */
    public boolean revokeKey(String orgId, String userName, String keyId) {
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression("SET #keys.#k.#rev = :t, #tnb = :now")
                    .conditionExpression("attribute_exists(#keys.#k)")
                    .expressionAttributeNames(Map.of("#keys", Attr.API_KEYS, "#k", keyId, "#rev", Attr.REVOKED,
                            "#tnb", Attr.TOKENS_NOT_BEFORE))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":now", nowMillis())));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public boolean removeCaller(String orgId, String userName) {
        try {
            dynamo.deleteItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .conditionExpression("attribute_exists(#o)")
                    .expressionAttributeNames(Map.of("#o", Attr.ORG_ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Ends every TokenID the caller holds now (a leak, a lost device); false when there is no such caller. */
    public boolean revokeTokens(String orgId, String userName) {
        return updateCaller(orgId, userName, "SET #tnb = :now", Map.of("#tnb", Attr.TOKENS_NOT_BEFORE),
                Map.of(":now", nowMillis()));
    }

    /**
     * The operator lock: FORM and APIKEY are refused and the caller's TokenIDs end, until {@link #unlock}.
     * Unlike the wrong-password lockout, which anyone knowing the caller's name can trigger and which
     * therefore leaves its TokenIDs alone. False when there is no such caller.
     */
    public boolean lock(String orgId, String userName) {
        return updateCaller(orgId, userName, "SET #l = :t, #tnb = :now",
                Map.of("#l", Attr.LOCKED, "#tnb", Attr.TOKENS_NOT_BEFORE),
                Map.of(":t", AttributeValue.fromBool(true), ":now", nowMillis()));
    }

    /**
     * Lifts the operator lock, and removes the ceiling count that versions before the ceiling moved to the
     * limits table left on the caller's item (either window format; ignored since). The ceiling and the
     * sources' records, regional, are Admin's {@code SourceRecords}. False when there is no such caller.
     */
    public boolean unlock(String orgId, String userName) {
        return updateCaller(orgId, userName, "REMOVE #l, #f, #e, #w, #c, #m",
                Map.of("#l", Attr.LOCKED, "#f", Attr.FAILURES, "#e", Attr.FAIL_WINDOW_ENDS_AT, "#w", Attr.FAIL_WINDOW,
                        "#c", Attr.CEILING_CHECKS, "#m", Attr.CEILING_MINUTE_ENDS_AT),
                Map.of());
    }

    private boolean updateCaller(String orgId, String userName, String expression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        Map<String, String> allNames = new java.util.HashMap<>(names);
        allNames.put("#o", Attr.ORG_ID);
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(#o)") // never create a caller
                    .expressionAttributeNames(allNames)
                    .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Map<String, AttributeValue>> caller(String orgId, String userName) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static Map<String, AttributeValue> callerKey(String orgId, String userName) {
        return Map.of(Attr.ORG_ID, s(orgId), Attr.USER_NAME, s(userName));
    }

    private AttributeValue nowMillis() {
        return n(clock.millis());
    }

    private static AttributeValue keyEntry(String sha256, Instant expiresAt, Instant now) {
        return AttributeValue.fromM(Map.of(Attr.SHA256, s(sha256), Attr.EXPIRES_AT, n(expiresAt.getEpochSecond()),
                Attr.REVOKED, AttributeValue.fromBool(false), Attr.CREATED_AT, n(now.getEpochSecond())));
    }
}
