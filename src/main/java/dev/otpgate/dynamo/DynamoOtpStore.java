package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.s;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpStore;
import dev.otpgate.otp.OtpTransaction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** OTP transactions in DynamoDB, keyed by TransactionID, expired by the table's TTL on ExpiresAt. */
@ApplicationScoped
public class DynamoOtpStore implements OtpStore {

    public static final String PENDING = "PENDING";
    public static final String UNDELIVERED = "UNDELIVERED";

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoOtpStore(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.table = config.tables().transactions();
    }

    @Override
    public void save(OtpTransaction t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Attr.TRANSACTION_ID, s(t.transactionId()));
        item.put(Attr.DOMAIN_ID, s(t.domainId()));
        item.put(Attr.USER_ID, s(t.userId()));
        item.put(Attr.LOGIN_UID, s(t.loginUid()));
        item.put(Attr.CHANNEL, s(t.channel().name()));
        item.put(Attr.CODE_HASH, s(t.codeHash()));
        item.put(Attr.CREATED_AT, n(t.createdAt().getEpochSecond()));
        item.put(Attr.EXPIRES_AT, n(t.expiresAt().getEpochSecond()));
        item.put(Attr.ATTEMPTS_LEFT, n(t.attemptsLeft()));
        item.put(Attr.STATE, s(PENDING));
        dynamo.putItem(r -> r.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", Attr.TRANSACTION_ID)));
    }

    @Override
    public void markUndelivered(String transactionId) {
        // Also drops the hash: a code that never arrived has nothing left to compare against.
        dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(Attr.TRANSACTION_ID, s(transactionId)))
                .updateExpression("SET #st = :u REMOVE #h")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#st", Attr.STATE, "#h", Attr.CODE_HASH, "#id", Attr.TRANSACTION_ID))
                .expressionAttributeValues(Map.of(":u", s(UNDELIVERED))));
    }
}
