package dev.otpgate.local;

import java.util.List;

import dev.otpgate.dynamo.TableSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the tables of {@link TableSpec} for the local run and the tests. Never on the request path. */
public final class LocalTables {

    private LocalTables() {
    }

    public static void create(DynamoDbClient dynamo, List<TableSpec> tables) {
        tables.forEach(t -> create(dynamo, t));
    }

    private static void create(DynamoDbClient dynamo, TableSpec t) {
        try {
            dynamo.createTable(r -> {
                r.tableName(t.name()).billingMode(BillingMode.PAY_PER_REQUEST);
                if (t.rangeKey() == null) {
                    r.keySchema(key(t.hashKey(), KeyType.HASH)).attributeDefinitions(string(t.hashKey()));
                } else {
                    r.keySchema(key(t.hashKey(), KeyType.HASH), key(t.rangeKey(), KeyType.RANGE))
                            .attributeDefinitions(string(t.hashKey()), string(t.rangeKey()));
                }
            });
        } catch (ResourceInUseException alreadyThere) {
            return; // a restart of the local run: keep what is there
        }
        if (t.ttlAttribute() != null) {
            dynamo.updateTimeToLive(r -> r.tableName(t.name())
                    .timeToLiveSpecification(s -> s.enabled(true).attributeName(t.ttlAttribute())));
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
