package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.otpgate.dynamo.DynamoCallerStore;
import dev.otpgate.dynamo.UserLimitKeys;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** user remove: what erasure covers (the user's own callers) and what it must leave (another organisation's items). */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class UserErasureTest extends FunctionTest {

    static final String PASSWORD = "the app's password";

    String org;

    @BeforeEach
    void newOrganisation() {
        org = "er-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Issue 22, finding 3: a caller linked --self to the user is the user's own app: it goes with them. */
    @Test
    void aUsersOwnCallerAndItsLoginRecordsGoWithTheUserAServiceCallerIsUnlinked() {
        assertEquals(0, admin("", "user", "put", "--org", org, "--domain", "1", "--user", "7001", "--name", "ann",
                "--mobile", "+16502530001").status());
        assertEquals(0, admin(PASSWORD + "\n", "caller", "put", "--org", org, "--name", "ann-app", "--password-stdin",
                "--self", "1/7001").status());
        data.caller(org, "svc@sum.com", PASSWORD, "1/7001", Set.of("1")); // also acts for the domain's other users
        Flows.post(login("ann-app")).then().statusCode(200); // leaves the source's last-login record
        assertTrue(sourceRecords("ann-app") > 0, "the app's login left a record");

        Operator.Run remove = admin("", "user", "remove", "--org", org, "--domain", "1", "--user", "7001");
        assertEquals(0, remove.status(), remove.err());
        assertTrue(remove.out().contains("1 own callers removed (ann-app), 1 unlinked (svc@sum.com)"), remove.out());
        assertTrue(data.callerItem(org, "ann-app").isEmpty(), "the user's own caller is gone");
        assertEquals(0, sourceRecords("ann-app"), "and its per-source login records");
        Map<String, AttributeValue> service = data.callerItem(org, "svc@sum.com");
        assertFalse(service.containsKey("UserID") || service.containsKey("DomainId"), "the service is unlinked: " + service);
        assertEquals(java.util.List.of("1"), service.get("GenerateFor").ss(), "and keeps its other grant");

        // the same UserID imported for someone else: the erased user's app does not act for them
        assertEquals(0, admin("", "user", "put", "--org", org, "--domain", "1", "--user", "7001", "--name", "bob",
                "--mobile", "+16502530002").status());
        Flows.post(login("ann-app")).then().statusCode(401);
    }

    /** Issue 22, finding 4: a legacy user's key prefix must not reach another organisation's items. */
    @Test
    void removingALegacyUserLeavesAnotherOrganisationsItemsAndRemovingNobodyExitsNonZero() {
        long hour = System.currentTimeMillis() / 3_600_000;
        // organisation `org`'s user 1/967, and the legacy organisation's (OrgID 1) user `org`/1: the latter's
        // keys are fails#<org>#1#<hour>, the former's fails#<org>#1#967#<hour>
        String othersHour = UserLimitKeys.failedGuesses(org + "#1", "967", hour);
        String othersWindow = "sends#user#" + org + "#1#967#" + (hour * 4);
        limit(othersHour);
        limit(othersWindow);

        Operator.Run nobody = admin("", "user", "remove", "--org", "1", "--domain", org, "--user", "1");
        assertEquals(1, nobody.status(), nobody.out());
        assertTrue(nobody.err().contains("No such user"), nobody.err());

        assertEquals(0, admin("", "user", "put", "--org", "1", "--domain", org, "--user", "1", "--name", "x").status());
        String ownHour = UserLimitKeys.failedGuesses(org, "1", hour);
        limit(ownHour);
        Operator.Run remove = admin("", "user", "remove", "--org", "1", "--domain", org, "--user", "1");
        assertEquals(0, remove.status(), remove.err());
        assertTrue(remove.out().contains("1 limit items"), remove.out());
        assertTrue(limitItem(ownHour).isEmpty(), "the user's own hour is erased");
        assertFalse(limitItem(othersHour).isEmpty(), "another organisation's user keeps their hour");
        assertFalse(limitItem(othersWindow).isEmpty(), "and their send window");
    }

    String login(String caller) {
        return TenantsTest.request(org, "7001", "ann", p -> p.put("UserName", caller).put("Password", PASSWORD));
    }

    long sourceRecords(String caller) {
        return data.dynamo().scan(r -> r.tableName(AwsLocalResource.LIMITS).consistentRead(true)
                .filterExpression("begins_with(LimitKey, :p)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DynamoCallerStore.sourceKeyPrefix(org, caller)))))
                .count();
    }

    void limit(String key) {
        data.dynamo().putItem(r -> r.tableName(AwsLocalResource.LIMITS).item(Map.of("LimitKey", AttributeValue.fromS(key),
                "Count", AttributeValue.fromN("1"),
                "ExpiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 3600)))));
    }

    Map<String, AttributeValue> limitItem(String key) {
        Map<String, AttributeValue> item = data.dynamo().getItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS(key))).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    Operator.Run admin(String stdin, String... args) {
        return Operator.run(data.dynamo(), stdin, args);
    }
}
