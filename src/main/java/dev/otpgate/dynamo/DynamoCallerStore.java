package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * API callers in DynamoDB, keyed by (OrgID, UserName). A password attempt is one conditional
 * UpdateItem that both counts the attempt and returns the whole item, so FORM costs no extra read;
 * a right password then clears the count with a second UpdateItem. The TokenID check reads only
 * TokensNotBefore and Locked, through Authenticator's per-instance cache (CallerStateCache).
 */
@ApplicationScoped
public class DynamoCallerStore implements CallerStore {

    private static final Map<String, String> COUNTER_NAMES = Map.of("#o", Attr.ORG_ID, "#f", Attr.FAILURES,
            "#e", Attr.FAIL_WINDOW_ENDS_AT);
    /** The same, with the old format's window index, which the writes that (re)start or clear a window remove. */
    private static final Map<String, String> COUNTER_AND_OLD_NAMES = Map.of("#o", Attr.ORG_ID, "#f", Attr.FAILURES,
            "#e", Attr.FAIL_WINDOW_ENDS_AT, "#w", Attr.FAIL_WINDOW);

    private static final Map<String, String> TOKEN_STATE_NAMES = Map.of("#o", Attr.ORG_ID,
            "#t", Attr.TOKENS_NOT_BEFORE, "#l", Attr.LOCKED);

    private final DynamoDbClient dynamo;
    private final String table;
    private final long windowSeconds;
    private final int maxFailures;

    DynamoCallerStore(DynamoDbClient dynamo, OtpConfig config, AuthConfig auth) {
        this.dynamo = dynamo;
        this.table = config.tables().callers();
        this.windowSeconds = Math.max(1, auth.failureWindow().toSeconds());
        this.maxFailures = auth.maxFailures();
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

    /**
     * The window is stored as the moment it ends (FailWindowEndsAt, epoch seconds), compared with now:
     * a window started under another configured length still ends when it said it would. An item in
     * the old format (Failures with a FailWindow index and no end) counts as an ended window.
     */
    @Override
    public PasswordAttempt beginPasswordAttempt(String orgId, String userName, Instant now) {
        AttributeValue nowSeconds = n(now.getEpochSecond());
        AttributeValue end = n(now.getEpochSecond() + windowSeconds);
        // Two rounds at most: the second only when a concurrent attempt opened the window between our calls.
        for (int round = 0; round < 2; round++) {
            Map<String, AttributeValue> old;
            try {
                // Count in the running window (or in a clean item, opening one) while attempts are left; return the item.
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                        .updateExpression("ADD #f :one SET #e = if_not_exists(#e, :end)")
                        .conditionExpression("attribute_exists(#o) AND ((attribute_not_exists(#f) AND "
                                + "attribute_not_exists(#e)) OR (#e > :now AND #f < :max))")
                        .expressionAttributeNames(COUNTER_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds,
                                ":max", n(maxFailures)))
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                        .attributes();
                return new PasswordAttempt(Outcome.GRANTED, account(item), (int) Attr.number(item, Attr.FAILURES));
            } catch (ConditionalCheckFailedException e) {
                old = e.hasItem() ? e.item() : Map.of();
            }
            if (old.isEmpty()) {
                return new PasswordAttempt(Outcome.UNKNOWN, null, 0);
            }
            long failures = Attr.number(old, Attr.FAILURES);
            if (old.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                    && Attr.number(old, Attr.FAIL_WINDOW_ENDS_AT) > now.getEpochSecond() && failures >= maxFailures) {
                return new PasswordAttempt(Outcome.LOCKED, null, (int) failures);
            }
            try { // the window has ended (or is in the old format): start a new one with this attempt
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                        .updateExpression("SET #f = :one, #e = :end REMOVE #w")
                        .conditionExpression("attribute_exists(#o) AND "
                                + "(attribute_not_exists(#f) OR attribute_not_exists(#e) OR #e <= :now)")
                        .expressionAttributeNames(COUNTER_AND_OLD_NAMES)
                        .expressionAttributeValues(Map.of(":one", n(1), ":end", end, ":now", nowSeconds))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
                return new PasswordAttempt(Outcome.GRANTED, account(item), 1);
            } catch (ConditionalCheckFailedException raced) {
                // another attempt started this window first, or the caller was removed: look again
            }
        }
        return new PasswordAttempt(Outcome.LOCKED, null, maxFailures);
    }

    @Override
    public void passwordAccepted(String orgId, String userName) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(orgId, userName))
                    .updateExpression("REMOVE #f, #e, #w")
                    .conditionExpression("attribute_exists(#o)") // never recreate a caller removed meanwhile
                    .expressionAttributeNames(COUNTER_AND_OLD_NAMES));
        } catch (ConditionalCheckFailedException removed) {
            // the caller was removed after its password was checked; this request still succeeds
        }
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
