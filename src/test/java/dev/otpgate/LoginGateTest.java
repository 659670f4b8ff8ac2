package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FromSource;
import dev.otpgate.support.FromSource.Answer;
import dev.otpgate.support.FunctionTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit finding 5: what an unauthenticated source can cost. Every FORM login with a made-up name wrote a
 * source record in the limits table and cost an Argon2id check; the per-range gate bounds both before
 * anything is written or hashed, and a caller on another network does not notice.
 */
@QuarkusTest
@TestProfile(LoginGateTest.TenAMinute.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class LoginGateTest extends FunctionTest {

    static final int PER_MINUTE = 10;

    /** The production default is 20; the other tests' profile lifts it, this one sets a small one. */
    public static class TenAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.auth.logins-per-range-per-minute", Integer.toString(PER_MINUTE));
        }
    }

    private static void at(Instant instant) {
        QuarkusMock.installMockForType(Clock.fixed(instant, ZoneOffset.UTC), Clock.class);
    }

    @Inject
    DynamoDbClient dynamo;
    @Inject
    PasswordHasher hasher;

    @Test
    void fiftyMadeUpNamesFromOneAddressCostBoundedWritesAndHashesAndNobodyElse() {
        Instant now = Instant.now();
        at(now); // a stopped clock: the bucket does not refill while the test runs on a busy machine
        String prefix = "made-up-" + UUID.randomUUID() + "-";
        long hashesBefore = hasher.checks();
        int refusedAtTheGate = 0;
        for (int i = 0; i < 50; i++) {
            String name = prefix + i;
            Answer a = FromSource.post(AuthTest.validation(UUID.randomUUID().toString(), "123456",
                    p -> p.put("UserName", name).put("Password", "guess")), "203.0.113.99");
            assertTrue(a.status() == 401 || a.status() == 429, a.body());
            if (a.status() == 429) {
                refusedAtTheGate++;
                assertEquals("Too many logins from this network; try again in a few seconds", a.errors());
            }
        }
        long items = dynamo.scanPaginator(r -> r.tableName(AwsLocalResource.LIMITS)).items().stream()
                .filter(item -> item.get("LimitKey").s().contains(prefix)).count();
        long hashes = hasher.checks() - hashesBefore;
        assertTrue(items <= PER_MINUTE, "limits items written for 50 made-up names: " + items);
        assertTrue(hashes <= PER_MINUTE, "Argon2id checks for 50 made-up names: " + hashes);
        assertEquals(50 - PER_MINUTE, refusedAtTheGate, "the rest refused before any write or hash");

        String legit = "legit-" + UUID.randomUUID();
        data.caller("1", legit, "the-right-password", null, Set.of("1"));
        Answer app = FromSource.post(AuthTest.validation(UUID.randomUUID().toString(), "123456",
                p -> p.put("UserName", legit).put("Password", "the-right-password")), "198.51.100.7");
        assertEquals(404, app.status(), "a caller on another network is checked as usual: " + app.body());

        at(now.plusSeconds(60)); // a minute later the range's bucket is full again
        Answer later = FromSource.post(AuthTest.validation(UUID.randomUUID().toString(), "123456",
                p -> p.put("UserName", legit).put("Password", "the-right-password")), "203.0.113.7");
        assertEquals(404, later.status(), later.body());
        assertTrue(dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey",
                AttributeValue.fromS("authfail#1:1" + legit.length() + ":" + legit + "#198.51.100.7")))).hasItem());
    }
}
