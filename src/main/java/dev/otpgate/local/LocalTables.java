package dev.otpgate.local;

import dev.otpgate.dynamo.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the tables for the local run and the tests, with the keys and TTL attribute that
 * template.yaml gives them in AWS (a test keeps the two in step). Never on the request path.
 */
public final class LocalTables {

    private LocalTables() {
    }

    public static void create(DynamoDbClient dynamo, String users, String transactions) {
        create(dynamo, users, Attr.DOMAIN_ID, Attr.USER_ID);
        create(dynamo, transactions, Attr.TRANSACTION_ID, null);
        dynamo.updateTimeToLive(r -> r.tableName(transactions)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(Attr.EXPIRES_AT)));
    }

    private static void create(DynamoDbClient dynamo, String table, String hashKey, String rangeKey) {
        try {
            dynamo.createTable(r -> {
                r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST);
                if (rangeKey == null) {
                    r.keySchema(key(hashKey, KeyType.HASH)).attributeDefinitions(string(hashKey));
                } else {
                    r.keySchema(key(hashKey, KeyType.HASH), key(rangeKey, KeyType.RANGE))
                            .attributeDefinitions(string(hashKey), string(rangeKey));
                }
            });
        } catch (ResourceInUseException alreadyThere) {
            // a restart of the local run: keep what is there
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
