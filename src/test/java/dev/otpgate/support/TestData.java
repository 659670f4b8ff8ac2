package dev.otpgate.support;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import java.net.URI;

import dev.otpgate.admin.CallerWrites;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.DynamoCallerStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes users and reads stored items straight from DynamoDB Local, beside the function. A plain object in the
 * test JVM with a client of its own (DynamoDB Local runs in the test JVM, AwsLocalResource), not a bean: the
 * same test bodies run against the function in test mode and against the packaged function (*IT classes).
 */
public class TestData {

    private static volatile TestData local;

    final DynamoDbClient dynamo;

    final PasswordHasher hasher = new PasswordHasher();

    private TestData(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** The client on DynamoDB Local, for a test that reads or writes an item itself (no bean: ITs have none). */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** The one instance, on AwsLocalResource's DynamoDB Local (which must have started). */
    public static synchronized TestData local() {
        if (local == null || !local.endpoint.equals(AwsLocalResource.dynamoEndpoint())) {
            local = new TestData(DynamoDbClient.builder()
                    .endpointOverride(URI.create(AwsLocalResource.dynamoEndpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build());
        }
        return local;
    }

    private final String endpoint = AwsLocalResource.dynamoEndpoint();

    /** Argon2id takes tens of milliseconds: each test password is hashed once per run. */
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

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

    /** A caller with a password; {@code self} is "DomainId/UserID" or null. */
    public void caller(String orgId, String userName, String password, String self, Set<String> generateFor) {
        String[] du = self == null ? new String[] { "", "" } : self.split("/", 2);
        callers().putCaller(orgId, userName, password == null ? null : hashes.computeIfAbsent(password, hasher::hash),
                du[0], du[1], generateFor);
    }

    /** The operators' writes, on the test tables. */
    public CallerWrites callers() {
        return new CallerWrites(dynamo, AwsLocalResource.CALLERS, AwsLocalResource.USERS);
    }

    public Map<String, AttributeValue> callerItem(String orgId, String userName) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.CALLERS)
                .key(Map.of("OrgID", AttributeValue.fromS(orgId), "UserName", AttributeValue.fromS(userName)))
                .consistentRead(true)).item();
    }

    /** The caller's ceiling in the limits table (DynamoCallerStore.ceilingKey), or an empty map. */
    public Map<String, AttributeValue> ceilingItem(String orgId, String userName) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(DynamoCallerStore.ceilingKey(orgId, userName)).consistentRead(true)).item();
    }

    /** The caller's ceiling: {@code failures} wrong passwords in a window ending at {@code endsAt} (epoch seconds). */
    public void ceiling(String orgId, String userName, int failures, long endsAt) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoCallerStore.ceilingKey(orgId, userName));
        item.put("Failures", AttributeValue.fromN(Integer.toString(failures)));
        item.put("FailWindowEndsAt", AttributeValue.fromN(Long.toString(endsAt)));
        item.put("ExpiresAt", AttributeValue.fromN(Long.toString(endsAt)));
        dynamo.putItem(r -> r.tableName(AwsLocalResource.LIMITS).item(item));
    }

    /**
     * Writes a failure count on the caller's item as the code before the ceiling moved to the limits table
     * stored it: {@code Failures} and the index of a fixed window ({@code FailWindow}), with no end time.
     */
    public void oldFormatFailures(String orgId, String userName, int failures, long failWindow) {
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.CALLERS)
                .key(Map.of("OrgID", AttributeValue.fromS(orgId), "UserName", AttributeValue.fromS(userName)))
                .updateExpression("SET Failures = :f, FailWindow = :w, FailWindowEndsAt = :e")
                .conditionExpression("attribute_exists(OrgID)")
                .expressionAttributeValues(Map.of(":f", AttributeValue.fromN(Integer.toString(failures)),
                        ":w", AttributeValue.fromN(Long.toString(failWindow)),
                        ":e", AttributeValue.fromN(Long.toString(java.time.Instant.now().getEpochSecond() + 3600)))));
    }

    public Map<String, AttributeValue> transaction(String transactionId) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.TRANSACTIONS)
                .key(Map.of("TransactionID", AttributeValue.fromS(transactionId)))
                .consistentRead(true)).item();
    }

    /**
     * The user's latest TransactionID as the limits table records it (the generate's write stores it), or
     * null: how a test finds the transaction of a generate whose answer was a failure without one.
     */
    public String currentTransactionId(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS("user#" + domainId + "#" + userId)))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("CurrentTransactionID") ? null : item.get("CurrentTransactionID").s();
    }

    /** Forgets every send counter, cooldown and guess budget, so that each test starts fresh. */
    public void clearLimits() {
        dynamo.scanPaginator(r -> r.tableName(AwsLocalResource.LIMITS)).items().forEach(item -> dynamo.deleteItem(
                r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey", item.get("LimitKey")))));
    }

    /** Ends every send cooldown, as 30 seconds of waiting would; counters and the current code stay. */
    public void endCooldowns() {
        long past = java.time.Instant.now().getEpochSecond() - 3600;
        dynamo.scanPaginator(r -> r.tableName(AwsLocalResource.LIMITS)).items().stream()
                .filter(item -> item.containsKey("LastSentAt"))
                .forEach(item -> dynamo.updateItem(r -> r.tableName(AwsLocalResource.LIMITS)
                        .key(Map.of("LimitKey", item.get("LimitKey")))
                        .updateExpression("SET LastSentAt = :past")
                        .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(Long.toString(past))))));
    }

    /**
     * Uses up the seed caller's failed-guess budget of this hour for the user (the default 20), as 20 wrong guesses
     * would: per caller since issue 22 (an attribute of the user's consecutive item).
     */
    public void spendGuessBudget(String domainId, String userId) {
        long now = java.time.Instant.now().getEpochSecond();
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS("consecutive#" + domainId + "#" + userId)))
                .updateExpression("SET #h = :c, ExpiresAt = :x")
                .expressionAttributeNames(Map.of("#h", "H#1/google@sum.com#" + now / 3600))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromN("20"),
                        ":x", AttributeValue.fromN(Long.toString((now / 3600 + 1) * 3600)))));
    }

    /** Every item of every table, as text: for proving that no code is stored anywhere. */
    public String everything() {
        StringBuilder all = new StringBuilder();
        for (String table : new String[] { AwsLocalResource.USERS, AwsLocalResource.TRANSACTIONS, AwsLocalResource.LIMITS }) {
            dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(i -> all.append(i).append('\n'));
        }
        return all.toString();
    }

    /**
     * {@link #everything()} but the records of a source's last right password (LimitKey authfail#..., LastLoginAt
     * alone) and a caller's ceiling with no wrong password in it (authfail#...#ceiling, Failures 0): each FORM login
     * rewrites them, and they are the caller's, not a user's or a code's. A wrong password counted still shows.
     */
    public String everythingButLastLogins() {
        return everything().lines().filter(l -> !(l.contains("LastLoginAt=") && !l.contains("Count=")))
                .filter(l -> !(l.contains("#" + "ceiling)") && l.contains("Failures=AttributeValue(N=0)")))
                .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
    }

    public int transactionCount() {
        return dynamo.scan(r -> r.tableName(AwsLocalResource.TRANSACTIONS).select("COUNT")).count();
    }
}
