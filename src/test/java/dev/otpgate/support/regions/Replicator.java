package dev.otpgate.support.regions;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What DynamoDB global tables (multi-region eventual consistency, the default mode) do between two regions, for two
 * DynamoDB Locals: every write to a replicated table in one region (put, update, delete, TTL delete) reaches the other
 * about {@code lag} later, both ways; when both regions wrote an item within the lag, the last writer wins in both.
 * It notices each change (global tables read the table's stream; here a scan, see {@link #changes}) and writes the
 * new image, or deletes, in the other region.
 * Conditions and transactions stay local, as with MREC: nothing here is atomic across regions. "Last" is the order in
 * which the writes were seen (a scan every 100 ms in each region): two writes to one item in two regions within the
 * same 100 ms may be ordered either way, as two writes within the clock skew of two regions may be.
 */
public final class Replicator implements AutoCloseable {

    /** One region's DynamoDB Local: its client, and the last image of every item seen or written there. */
    private static final class Side {
        final String name;
        final DynamoDbClient dynamo;
        /** table -> table#key -> the item as last seen (or last written by the replicator) in this region. */
        final Map<String, Map<String, Map<String, AttributeValue>>> seen = new HashMap<>();
        /** table#key -> when this region's last own write to it was seen (ns): last writer wins against it. */
        final Map<String, Long> lastOwnWrite = new ConcurrentHashMap<>();

        Side(String name, String endpoint) {
            this.name = name;
            this.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(UrlConnectionHttpClient.create()).build();
        }
    }

    private final Side a;
    private final Side b;
    private final List<String> tables;
    private final Duration lag;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "replicator");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong replicated = new AtomicLong();
    private volatile boolean paused;

    /** Starts replicating the tables (which must exist in both regions); what is in them already is replicated too. */
    public Replicator(String endpointA, String endpointB, List<String> tables, Duration lag) {
        this.a = new Side("A", endpointA);
        this.b = new Side("B", endpointB);
        this.tables = List.copyOf(tables);
        this.lag = lag;
        for (Side side : List.of(a, b)) {
            tables.forEach(t -> side.seen.put(t, new HashMap<>()));
        }
        timer.scheduleWithFixedDelay(() -> poll(a, b), 0, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> poll(b, a), 50, 100, TimeUnit.MILLISECONDS);
    }

    /** How many writes were copied to the other region so far. */
    public long replicated() {
        return replicated.get();
    }

    /** A region's DynamoDB is gone: nothing replicates while paused (it catches up after). */
    public void pause(boolean pause) {
        this.paused = pause;
    }

    private void poll(Side from, Side to) {
        if (paused) {
            return;
        }
        try {
            for (String table : tables) {
                changes(from, to, table);
            }
        } catch (RuntimeException e) {
            // a region's DynamoDB Local stopped or stalls: try again at the next tick, as replication would
        }
    }

    /**
     * The items of {@code from}'s table that changed (or went) since the last look: its own writes (the replicator's
     * copies are recorded as seen when written), each sent to {@code to} {@code lag} later. Not the streams: two
     * DynamoDB Locals in one JVM got in each other's way there (TrimmedDataAccessException on a fresh TRIM_HORIZON
     * iterator); the tables of a test are small, a consistent scan every 100 ms stands in.
     */
    private void changes(Side from, Side to, String table) {
        synchronized (from) { // a copy written here between the scan and the comparison would look like a change
            diff(from, to, table);
        }
    }

    private void diff(Side from, Side to, String table) {
        Map<String, Map<String, AttributeValue>> now = new HashMap<>();
        Map<String, Map<String, AttributeValue>> keysOf = new HashMap<>();
        List<String> keyNames = from.dynamo.describeTable(r -> r.tableName(table)).table().keySchema().stream()
                .map(k -> k.attributeName()).toList();
        from.dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(item -> {
            Map<String, AttributeValue> keys = new TreeMap<>();
            keyNames.forEach(k -> keys.put(k, item.get(k)));
            String id = table + "#" + keys;
            now.put(id, item);
            keysOf.put(id, keys);
        });
        {
            Map<String, Map<String, AttributeValue>> before = from.seen.get(table);
            for (var e : now.entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey()))) {
                    written(from, to, table, e.getKey(), keysOf.get(e.getKey()), e.getValue());
                }
            }
            for (var e : Map.copyOf(before).entrySet()) {
                if (!now.containsKey(e.getKey())) {
                    Map<String, AttributeValue> keys = new TreeMap<>();
                    keyNames.forEach(k -> keys.put(k, e.getValue().get(k)));
                    written(from, to, table, e.getKey(), keys, Map.of());
                }
            }
        }
    }

    private void written(Side from, Side to, String table, String id, Map<String, AttributeValue> keys,
            Map<String, AttributeValue> image) {
        if (image.isEmpty()) {
            from.seen.get(table).remove(id);
        } else {
            from.seen.get(table).put(id, image);
        }
        long at = System.nanoTime();
        from.lastOwnWrite.put(id, at);
        timer.schedule(() -> apply(to, table, id, keys, image, at), lag.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void apply(Side to, String table, String id, Map<String, AttributeValue> keys,
            Map<String, AttributeValue> image, long writtenAt) {
        synchronized (to) {
            if (to.lastOwnWrite.getOrDefault(id, Long.MIN_VALUE) > writtenAt) {
                return; // the other region wrote the item later: its write wins, and is on its way here
            }
            try {
                if (image.isEmpty()) {
                    to.dynamo.deleteItem(d -> d.tableName(table).key(keys));
                    to.seen.get(table).remove(id);
                } else {
                    to.dynamo.putItem(p -> p.tableName(table).item(image));
                    to.seen.get(table).put(id, image);
                }
                replicated.incrementAndGet();
            } catch (RuntimeException e) {
                // the region's DynamoDB is gone: global tables would catch up later; the test's outage does not
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Side side : List.of(a, b)) {
            side.dynamo.close();
        }
    }

    @Override
    public String toString() {
        return "Replicator[" + a.name + "<->" + b.name + ", " + tables + ", lag " + lag + "]";
    }
}
