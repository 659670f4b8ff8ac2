package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;

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
 */
public final class CallerWrites {

    private final DynamoDbClient dynamo;
    private final String callers;
    private final String users;

    public CallerWrites(DynamoDbClient dynamo, String callersTable, String usersTable) {
        this.dynamo = dynamo;
        this.callers = callersTable;
        this.users = usersTable;
    }

    /** Adds or updates a directory user; a null mobile or e-mail keeps the stored one, "" removes it. */
    public void putUser(String domainId, String userId, String userName, String mobile, String email) {
        Update u = new Update();
        u.set(Attr.USER_NAME, s(userName));
        u.setOrRemove(Attr.MOBILE, mobile);
        u.setOrRemove(Attr.EMAIL, email);
        dynamo.updateItem(r -> r.tableName(users)
                .key(Map.of(Attr.DOMAIN_ID, s(domainId), Attr.USER_ID, s(userId)))
                .updateExpression(u.expression())
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values));
    }

    /**
     * Adds or updates a caller. A null argument keeps what is stored; {@code self} "" and an empty
     * {@code generateFor} remove the grant. {@code passwordHash} is an Argon2id PHC string, never a password.
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

    /** Stores a new key and revokes the old one in one write; false when the old key is not there. */
    public boolean rotateKey(String orgId, String userName, String oldKeyId, String newKeyId, String sha256,
            Instant expiresAt, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression("SET #keys.#new = :e, #keys.#old.#rev = :t")
                    .conditionExpression("attribute_exists(#keys.#old) AND attribute_not_exists(#keys.#new)")
                    .expressionAttributeNames(Map.of("#keys", Attr.API_KEYS, "#new", newKeyId, "#old", oldKeyId,
                            "#rev", Attr.REVOKED))
                    .expressionAttributeValues(Map.of(":e", keyEntry(sha256, expiresAt, now),
                            ":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Marks a key revoked (kept, so that the tool can still show it); false when it is not there. */
    public boolean revokeKey(String orgId, String userName, String keyId) {
        try {
            dynamo.updateItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                    .updateExpression("SET #keys.#k.#rev = :t")
                    .conditionExpression("attribute_exists(#keys.#k)")
                    .expressionAttributeNames(Map.of("#keys", Attr.API_KEYS, "#k", keyId, "#rev", Attr.REVOKED))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
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

    public Optional<Map<String, AttributeValue>> caller(String orgId, String userName) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(callers).key(callerKey(orgId, userName))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static Map<String, AttributeValue> callerKey(String orgId, String userName) {
        return Map.of(Attr.ORG_ID, s(orgId), Attr.USER_NAME, s(userName));
    }

    private static AttributeValue keyEntry(String sha256, Instant expiresAt, Instant now) {
        return AttributeValue.fromM(Map.of(Attr.SHA256, s(sha256), Attr.EXPIRES_AT, n(expiresAt.getEpochSecond()),
                Attr.REVOKED, AttributeValue.fromBool(false), Attr.CREATED_AT, n(now.getEpochSecond())));
    }
}
