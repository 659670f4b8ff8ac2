package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.util.Map;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.DynamoCallerStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The wrong-password records of a caller in the limits table (DynamoCallerStore's {@code authfail#...} items:
 * each source's, each address range's checks past the ceiling, and the ceiling itself), in the region the tool
 * runs against (the limits table is regional). They are keyed by source address, which the tool cannot list by caller
 * without a Scan: it scans once, filtered by the caller's key prefix, and deletes what it finds. An
 * operator's action, rare; on a large limits table it reads the whole table once (0.5 read unit per 4 KB).
 */
final class SourceRecords {

    private final DynamoDbClient dynamo;
    private final String limits;

    SourceRecords(DynamoDbClient dynamo, String limitsTable) {
        this.dynamo = dynamo;
        this.limits = limitsTable;
    }

    /** Deletes every wrong-password record of the caller (the ceiling's too); answers how many there were. */
    int forget(String orgId, String userName) {
        String prefix = DynamoCallerStore.sourceKeyPrefix(orgId, userName);
        int[] deleted = { 0 };
        dynamo.scanPaginator(r -> r.tableName(limits)
                .filterExpression("begins_with(#k, :p)")
                .projectionExpression("#k")
                .expressionAttributeNames(Map.of("#k", Attr.LIMIT_KEY))
                .expressionAttributeValues(Map.of(":p", s(prefix))))
                .items().forEach(item -> {
                    AttributeValue key = item.get(Attr.LIMIT_KEY);
                    dynamo.deleteItem(r -> r.tableName(limits).key(Map.of(Attr.LIMIT_KEY, key)));
                    deleted[0]++;
                });
        return deleted[0];
    }
}
