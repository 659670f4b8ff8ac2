package dev.otpgate.support;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Writes users and reads stored items straight from DynamoDB Local, beside the function. */
@ApplicationScoped
public class TestData {

    @Inject
    DynamoDbClient dynamo;

    public void user(String domainId, String userId, String userName, String mobile, String email) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("DomainId", AttributeValue.fromS(domainId));
        item.put("UserID", AttributeValue.fromS(userId));
        item.put("UserName", AttributeValue.fromS(userName));
        if (mobile != null) {
            item.put("Mobile", AttributeValue.fromS(mobile));
        }
        if (email != null) {
            item.put("Email", AttributeValue.fromS(email));
        }
        dynamo.putItem(r -> r.tableName(AwsLocalResource.USERS).item(item));
    }

    /** The seed's user: DomainId 1, UserID 967, UserName abcd. */
    public void seedUser() {
        user("1", "967", "abcd", "+14155554219", "abcd@example.com");
    }

    public Map<String, AttributeValue> transaction(String transactionId) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.TRANSACTIONS)
                .key(Map.of("TransactionID", AttributeValue.fromS(transactionId)))
                .consistentRead(true)).item();
    }

    public int transactionCount() {
        return dynamo.scan(r -> r.tableName(AwsLocalResource.TRANSACTIONS).select("COUNT")).count();
    }
}
