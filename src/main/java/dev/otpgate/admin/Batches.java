package dev.otpgate.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchGetItem (100 keys a call) and BatchWriteItem (25 items a call) on one table, to the end. A batch call
 * can succeed while leaving some of its keys or items unprocessed (throttling, the 16 MB response limit);
 * the SDK retries only failed calls, not those, so they are sent again here with exponential back-off and
 * full jitter (AWS's advice: a random pause up to 50 ms, 100 ms, ... 5 s), up to {@value #ATTEMPTS} calls.
 */
public final class Batches {

    public static final int WRITE_SIZE = 25;
    public static final int GET_SIZE = 100;
    private static final int ATTEMPTS = 12;
    private static final long BASE_MILLIS = 50;
    private static final long CAP_MILLIS = 5_000;

    private final DynamoDbClient dynamo;
    private final String table;

    public Batches(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The items that exist among {@code keys} (at most 100), read consistently. */
    public List<Map<String, AttributeValue>> get(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            pause(attempt);
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(request));
            found.addAll(r.responses().getOrDefault(table, List.of()));
            pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /** Puts the items (at most 25). */
    public void put(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> writes = new ArrayList<>(items.size());
        items.forEach(i -> writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build()));
        write(writes);
    }

    /** Puts or deletes, at most 25 requests. */
    public void write(List<WriteRequest> writes) {
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            pause(attempt);
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(request));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
    }

    /** Nothing before the first call; then a random pause up to 50 ms, 100 ms, ... 5 s; gives up after ATTEMPTS. */
    private static void pause(int attempt) {
        if (attempt == 0) {
            return;
        }
        if (attempt >= ATTEMPTS) {
            throw new IllegalStateException("DynamoDB left items unprocessed after " + ATTEMPTS + " calls");
        }
        long ceiling = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
