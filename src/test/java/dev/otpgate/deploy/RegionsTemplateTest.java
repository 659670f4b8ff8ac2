package dev.otpgate.deploy;

import static dev.otpgate.deploy.Template.list;
import static dev.otpgate.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.otpgate.dynamo.TableSpec;

/**
 * template.yaml for more than one region (docs/regions.md): the operator-written tables are global tables whose
 * replicas the owning stack's ReplicaRegions parameter adds, another region's stack declares only its regional tables
 * and is given the global ones' names, and a custom domain brings a health check on this region's /q/health/ready
 * and a failover record. Without any of these parameters the stack is one region, as before.
 */
class RegionsTemplateTest {

    static final List<String> GLOBAL = List.of("UsersTable", "CallersTable", "OrgsTable");
    static final Map<String, String> SECONDARY = Map.of("PrimaryRegion", "eu-west-1", "GlobalUsersTable", "otp-UsersTable-X1",
            "GlobalCallersTable", "otp-CallersTable-X2", "GlobalOrgsTable", "otp-OrgsTable-X3");
    static final Map<String, String> DOMAIN = Map.of("DomainName", "otp.example.com", "HostedZoneId", "Z0123456789ABCDEFGHIJ",
            "CertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d");

    @Test
    void theGlobalTablesAreExactlyTheOnesTableSpecReplicates() {
        Template t = Template.load();
        Set<String> global = new TreeSet<>();
        Map<String, String> env = t.environment();
        for (String name : TableSpec.replicated(TemplateTest.tableAccessorNames())) {
            global.add(env.get("OTP_TABLES_" + TemplateTest.envName(name)).substring(4));
        }
        assertEquals(new TreeSet<>(GLOBAL), global);
        assertEquals(new TreeSet<>(GLOBAL), new TreeSet<>(t.ofType("AWS::DynamoDB::GlobalTable")));
        assertEquals(Set.of("TransactionsTable", "LimitsTable"), Set.copyOf(t.ofType("AWS::DynamoDB::Table")),
                "codes and counters stay in their region");
    }

    @Test
    void withoutTheParametersEachGlobalTableHasOneReplicaInTheStacksRegion() {
        Template t = Template.load();
        assertTrue(t.condition("IsPrimaryRegion"));
        for (String id : GLOBAL) {
            assertEquals("IsPrimaryRegion", t.resource(id).get("Condition"), id + ": one stack owns it");
            assertEquals(List.of("eu-west-1"), regions(t, id), id + ": a table in one region, as before");
            assertEquals("NEW_AND_OLD_IMAGES", map(t.properties(id).get("StreamSpecification")).get("StreamViewType"));
        }
        assertFalse(t.condition("HasCustomDomain"));
    }

    @Test
    void replicaRegionsAddAReplicaOfEachGlobalTableWithPointInTimeRecovery() {
        Template one = Template.load(Map.of("ReplicaRegions", "us-east-1"));
        Template two = Template.load(Map.of("ReplicaRegions", "us-east-1,eu-central-1"));
        for (String id : GLOBAL) {
            assertEquals(List.of("eu-west-1", "us-east-1"), regions(one, id));
            assertEquals(List.of("eu-west-1", "us-east-1", "eu-central-1"), regions(two, id));
            for (Object replica : list(map(two.resolve(two.properties(id))).get("Replicas"))) {
                assertEquals(Boolean.TRUE, map(map(replica).get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
            }
        }
    }

    @Test
    void anotherRegionsStackNamesTheGlobalTablesAndGrantsOnThem() {
        Template t = Template.load(SECONDARY);
        assertFalse(t.condition("IsPrimaryRegion"), "this stack declares no global table");
        Map<String, String> env = t.environment();
        assertEquals("otp-UsersTable-X1", env.get("OTP_TABLES_USERS"));
        assertEquals("otp-CallersTable-X2", env.get("OTP_TABLES_CALLERS"));
        assertEquals("otp-OrgsTable-X3", env.get("OTP_TABLES_ORGS"));
        assertEquals("ref:TransactionsTable", env.get("OTP_TABLES_TRANSACTIONS"), "its own codes table");
        assertEquals("ref:LimitsTable", env.get("OTP_TABLES_LIMITS"), "its own counters");
        Set<String> grants = TemplateTest.grants(t);
        assertTrue(grants.contains("dynamodb:UpdateItem on arn:aws:dynamodb:eu-west-1:123456789012:table/otp-UsersTable-X1"), grants.toString());
        assertTrue(grants.contains("dynamodb:GetItem on arn:aws:dynamodb:eu-west-1:123456789012:table/otp-OrgsTable-X3"), grants.toString());
        assertFalse(grants.toString().contains("arn:UsersTable"), "no grant on a table this stack does not have");
    }

    @Test
    void aCustomDomainGetsAHealthCheckOnThisRegionsReadyPathAndAFailoverRecordThatMovesWithinAMinute() {
        Template t = Template.load(DOMAIN);
        assertTrue(t.condition("HasCustomDomain"));
        Map<String, Object> check = map(map(t.resolve(t.properties("RegionHealthCheck"))).get("HealthCheckConfig"));
        assertEquals("/q/health/ready", check.get("ResourcePath"));
        assertEquals("HTTPS", check.get("Type"));
        assertEquals("ref:OtpApi.execute-api.eu-west-1.amazonaws.com", check.get("FullyQualifiedDomainName"),
                "this region's API itself, not the domain that may point elsewhere");
        Map<String, Object> record = map(t.resolve(t.properties("FailoverRecord")));
        assertEquals("PRIMARY", record.get("Failover"));
        assertEquals("ref:RegionHealthCheck", record.get("HealthCheckId"));
        assertEquals("otp.example.com", record.get("Name"));
        int interval = Integer.parseInt(String.valueOf(check.get("RequestInterval")));
        int threshold = Integer.parseInt(String.valueOf(check.get("FailureThreshold")));
        int ttl = Integer.parseInt(String.valueOf(record.get("TTL")));
        // a region's DynamoDB gone: readiness says so within its kept answer (2 s) plus the 1 s call timeout, Route 53
        // after `threshold` failed checks `interval` apart, resolvers after the TTL (docs/regions.md "Knowing when to move")
        int worst = 2 + 1 + interval * threshold + ttl;
        assertTrue(worst <= 60, "clients move within a minute: " + worst + " s");
        java.util.HashMap<String, String> secondary = new java.util.HashMap<>(DOMAIN);
        secondary.putAll(SECONDARY);
        secondary.put("FailoverRole", "SECONDARY");
        Template other = Template.load(secondary);
        assertEquals("SECONDARY", map(other.resolve(other.properties("FailoverRecord"))).get("Failover"));
    }

    private static List<Object> regions(Template t, String id) {
        return list(map(t.resolve(t.properties(id))).get("Replicas")).stream().map(r -> map(r).get("Region")).toList();
    }
}
