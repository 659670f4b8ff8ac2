package dev.otpgate.support.regions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.local.LocalTables;
import dev.otpgate.local.SetUpClient;
import dev.otpgate.support.AwsLocalResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The test support's stand-in for global tables does what they do: late, both ways, deletes, last writer wins. */
class ReplicatorTest {

    static DynamoDbLocalServer localA;
    static DynamoDbLocalServer localB;
    static DynamoDbClient a;
    static DynamoDbClient b;
    static Replicator replicator;

    @BeforeAll
    static void twoRegions() {
        localA = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        localB = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        a = SetUpClient.open(localA.endpoint());
        b = SetUpClient.open(localB.endpoint());
        LocalTables.create(a, TableSpec.all(AwsLocalResource.TABLES));
        LocalTables.create(b, TableSpec.all(AwsLocalResource.TABLES));
        replicator = new Replicator(localA.endpoint(), localB.endpoint(), List.of(AwsLocalResource.ORGS),
                Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        replicator.close();
        a.close();
        b.close();
        localA.stop();
        localB.stop();
    }

    @Test
    void twoLocalsAreTwoDatabases() {
        put(a, AwsLocalResource.LIMITS, Map.of("LimitKey", s("only-in-a")));
        assertTrue(b.getItem(r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey", s("only-in-a"))))
                .item().isEmpty(), "a table that is not replicated stays in its region");
    }

    @Test
    void aWriteArrivesLateBothWaysAndSoDoesADelete() throws InterruptedException {
        put(a, AwsLocalResource.ORGS, Map.of("OrgID", s("late"), "V", s("1")));
        assertEquals(Map.of(), org(b, "late"), "not at once: about a second late");
        assertEquals("1", eventually(b, "late", "1").get("V").s());
        put(b, AwsLocalResource.ORGS, Map.of("OrgID", s("late"), "V", s("2")));
        assertEquals("2", eventually(a, "late", "2").get("V").s());
        a.deleteItem(r -> r.tableName(AwsLocalResource.ORGS).key(Map.of("OrgID", s("late"))));
        assertTrue(eventually(b, "late", null).isEmpty(), "a delete replicates too");
    }

    @Test
    void whenBothWriteWithinTheLagTheLastWriterWinsInBoth() throws InterruptedException {
        put(a, AwsLocalResource.ORGS, Map.of("OrgID", s("both"), "V", s("first")));
        Thread.sleep(300);
        put(b, AwsLocalResource.ORGS, Map.of("OrgID", s("both"), "V", s("last")));
        Thread.sleep(3000);
        assertEquals("last", org(a, "both").get("V").s());
        assertEquals("last", org(b, "both").get("V").s());
        assertFalse(replicator.replicated() == 0);
    }

    static Map<String, AttributeValue> eventually(DynamoDbClient in, String org, String value) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Map<String, AttributeValue> item = org(in, org);
            if (value == null ? item.isEmpty() : item.containsKey("V") && item.get("V").s().equals(value)) {
                return item;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(org + " never became " + value + ": " + org(in, org));
    }

    static Map<String, AttributeValue> org(DynamoDbClient in, String org) {
        return in.getItem(r -> r.tableName(AwsLocalResource.ORGS).key(Map.of("OrgID", s(org))).consistentRead(true)).item();
    }

    static void put(DynamoDbClient in, String table, Map<String, AttributeValue> item) {
        in.putItem(r -> r.tableName(table).item(item));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
