package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.FraudCheck;
import dev.otpgate.otp.OtpStore;
import dev.otpgate.otp.OtpTransaction;
import dev.otpgate.otp.Policy;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Pumping;
import dev.otpgate.support.RawEvents.Answer;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fraud guard (docs/limits-and-fraud.md "Abuse resistance") and the users-under-attack limits, through the function, with
 * the defaults (the test profile allow-lists only the loopback address and US numbers, which these tests do
 * not use).
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class FraudTest extends FunctionTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    OtpStore store;

    @Test
    void oneAddressGetsFiveUnverifiedCodesAnHourThenA429ThatSaysWhy() {
        // three countries, so that no country's own hourly threshold (3) comes first
        String[] countries = { "DE", "IT", "ES" };
        Pumping p = new Pumping(data, dynamo, aws, List.of(countries));
        for (int i = 0; i < 5; i++) {
            Answer a = p.generate("198.51.100.7", p.user("a" + i, countries[i % 3], i));
            assertEquals(200, a.status(), a.body().toString());
        }
        Answer sixth = p.generate("198.51.100.7", p.user("a5", "DE", 5));
        assertEquals(429, sixth.status());
        assertTrue(sixth.errors().startsWith("Too many unconfirmed OTPs were requested from this network; try again in "),
                sixth.errors());
        assertEquals(5, Recorded.calls(aws, "Publish").size());
        // another address is not held back by that one
        assertEquals(200, p.generate("198.51.100.8", p.user("a6", "ES", 6)).status());
    }

    @Test
    void everyDecisionIsOnTheCallLineWithItsMetricAndNeverTheNumber() throws Exception {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        try (dev.otpgate.support.CallLines lines = dev.otpgate.support.CallLines.capture()) {
            for (int i = 0; i < 4; i++) {
                p.generate("198.51.100.70", p.user("l" + i, "DE", i));
            }
            com.fasterxml.jackson.databind.JsonNode allowed = lines.all().get(0);
            assertEquals("allow", allowed.at("/fraud/decision").asText(), allowed.toString());
            assertEquals("DE", allowed.at("/fraud/country").asText());
            assertEquals("198.51.100.70", allowed.at("/fraud/address").asText());
            assertEquals(p.org + "/go***@su***.com", allowed.at("/fraud/caller").asText(), "a login that is an e-mail address, masked");
            assertEquals("DE", allowed.path("Country").asText(), "the audit field: the destination's country");
            com.fasterxml.jackson.databind.JsonNode denied = lines.last();
            assertEquals("deny", denied.at("/fraud/decision").asText(), denied.toString());
            assertEquals("fraud_country_hourly", denied.at("/fraud/rules/0").asText());
            assertEquals("fraud_country_hourly", denied.path("outcome").asText());
            assertEquals("fraud_country_hourly", denied.path("FraudRule").asText());
            assertEquals(1, denied.path("FraudHits").asInt());
            assertTrue(denied.at("/_aws/CloudWatchMetrics").toString().contains("FraudHits"), denied.toString());
            String mobile = Pumping.mobile("DE", 3);
            assertTrue(lines.all().stream().noneMatch(l -> l.toString().contains(mobile.substring(3))), "never the number");
        }
    }

    @Test
    void mailBombingMeetsTheSameAddressRulesOnItsOwnCounters() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.ORGS).key(Map.of("OrgID", AttributeValue.fromS(p.org)))
                .updateExpression("SET Channel = :e").expressionAttributeValues(Map.of(":e", AttributeValue.fromS("EMAIL"))));
        for (int i = 0; i < 6; i++) {
            data.callers().putUser(p.org + "#1", "m" + i, "um" + i, null, "m" + i + "@example.org", null, null);
            Answer a = p.generate("198.51.100.80", "m" + i);
            assertEquals(i < 5 ? 200 : 429, a.status(), a.body().toString());
        }
        assertEquals(5, Recorded.calls(aws, "SendEmail").size());
        assertTrue(limit("fraud#addr#EMAIL#198.51.100.80") != null);
    }

    @Test
    void verifiedCodesAreTakenBackFromTheAddressCounters() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        for (int i = 0; i < 8; i++) { // more than the address's 5 an hour, and the country's 3
            String user = p.user("v" + i, "DE", i);
            Answer sent = p.generate("198.51.100.9", user);
            assertEquals(200, sent.status(), "a busy address whose users verify is never refused: " + sent.body());
            assertEquals(200, p.validate("198.51.100.9", user, sent.transactionId(), p.lastCode()).status());
        }
        Map<String, AttributeValue> item = limit("fraud#addr#SMS#198.51.100.9");
        assertEquals("0", item.get("H" + Pumping.hour()).n());
        assertEquals("0", item.get("D" + Pumping.day()).n());
    }

    @Test
    void anAddressReachesAtMostThreeUnverifiedCountriesADay() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE", "IT", "ES", "KE"));
        String[] countries = { "DE", "IT", "ES" };
        for (int i = 0; i < 3; i++) {
            assertEquals(200, p.generate("198.51.100.10", p.user("c" + i, countries[i], i)).status());
        }
        Answer fourth = p.generate("198.51.100.10", p.user("c3", "KE", 3));
        assertEquals(429, fourth.status());
        assertTrue(fourth.errors().startsWith("OTPs were requested from this network to too many countries"), fourth.errors());
        // a country already reached from that address still passes
        assertEquals(200, p.generate("198.51.100.10", p.user("c4", "IT", 4)).status());
    }

    @Test
    void rotatingAddressesMeetTheCountrysOwnThreshold() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("PK"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, p.generate("198.51.100." + (20 + i), p.user("k" + i, "PK", i)).status());
        }
        Answer fourth = p.generate("198.51.100.23", p.user("k3", "PK", 3));
        assertEquals(429, fourth.status());
        assertTrue(fourth.errors().startsWith("Too many unconfirmed OTPs were requested to this country"), fourth.errors());
    }

    @Test
    void theDeploymentsDailyBudgetAndTheCallersQuotaAreHardCaps() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        for (int shard = 0; shard < 10; shard++) { // 10,000 SMS a day over 10 shards: 1,000 each
            Pumping.counter(dynamo, "fraud#budget#SMS#" + shard, "D" + Pumping.day(), 1000);
        }
        Answer spent = p.generate("198.51.100.30", p.user("b0", "DE", 0));
        assertEquals(429, spent.status());
        assertTrue(spent.errors().startsWith("The service's daily OTP budget is used up"), spent.errors());
        data.clearLimits();
        // 1,000 a day, on the organisation's day item (one shard below a budget of 100,000)
        Pumping.counter(dynamo, "fraud#org#" + p.org + "#SMS#" + Pumping.day() + "#0", "Caller#" + p.org + "/google@sum.com",
                1000);
        Answer quota = p.generate("198.51.100.30", p.user("b1", "DE", 1));
        assertEquals(429, quota.status());
        assertTrue(quota.errors().startsWith("This application's daily OTP quota is used up"), quota.errors());
        assertEquals(0, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void fiftyConcurrentGeneratesFromOneAddressSendAtMostItsHourlyThreshold() throws Exception {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(p.user("r" + i, "DE", i));
        }
        p.generate("198.51.100.40", users.get(0)); // the first one alone: the address's counters exist
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (String u : users.subList(1, 50)) {
                answers.add(pool.submit(() -> p.generate("198.51.100.40", u)));
            }
            for (Future<Answer> a : answers) {
                int status = a.get().status();
                assertTrue(status == 200 || status == 429 || status == 503, "status " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        int sent = Recorded.calls(aws, "Publish").size();
        assertTrue(sent <= 5 && sent >= 1, sent + " SMS for one address in one hour");
    }

    @Test
    void fiftyConcurrentGeneratesFromFiftyAddressesToOneCountrySendAtMostItsHourlyThreshold() throws Exception {
        Pumping p = new Pumping(data, dynamo, aws, List.of("TH"));
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(p.user("t" + i, "TH", i));
        }
        p.generate("198.51.101.200", users.get(0));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 1; i < 50; i++) {
                String u = users.get(i);
                String address = "198.51.101." + i;
                answers.add(pool.submit(() -> p.generate(address, u)));
            }
            for (Future<Answer> a : answers) {
                int status = a.get().status();
                assertTrue(status == 200 || status == 429 || status == 503, "status " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        int sent = Recorded.calls(aws, "Publish").size();
        assertTrue(sent <= 3 && sent >= 1, sent + " SMS to one unserved country in one hour");
    }

    @Test
    void recordModeCountsAndNamesTheRulesButRefusesNothing() {
        // The store as FraudGuard calls it in record mode (otp.fraud.mode=RECORD): a threshold of one per hour.
        FraudCheck record = new FraudCheck(Channel.SMS, "198.51.100.50", "DE", "1/x", false, 1, 10, 3, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0);
        Policy.Limits limits = new Policy.Limits(5, 20, Duration.ZERO, 100, Duration.ofMinutes(15));
        assertEquals(List.of(), store.issue(transaction("rec-1", "u1"), "dest-1", limits, Instant.now(), record));
        assertEquals(List.of("fraud_address_hourly"),
                store.issue(transaction("rec-2", "u2"), "dest-2", limits, Instant.now(), record));
        assertEquals("2", limit("fraud#addr#SMS#198.51.100.50").get("H" + Pumping.hour()).n(), "counted anyway");
        FraudCheck deny = new FraudCheck(Channel.SMS, "198.51.100.50", "DE", "1/x", true, 1, 10, 3, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0);
        dev.otpgate.otp.OtpFailure refused = org.junit.jupiter.api.Assertions.assertThrows(dev.otpgate.otp.OtpFailure.class,
                () -> store.issue(transaction("rec-3", "u3"), "dest-3", limits, Instant.now(), deny));
        assertEquals("fraud_address_hourly", refused.outcome());
    }

    // ---- users under attack (issue 11 part 4)

    @Test
    void aHundredConsecutiveWrongGuessesLockTheUserUntilASuccessWhichCannotComeThen() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        String user = p.user("z0", "DE", 0);
        Answer sent = p.generate("198.51.100.60", user);
        String code = p.lastCode();
        Pumping.counter(dynamo, "consecutive#" + p.org + "#1#" + user, "Count", 99);
        Answer wrong = p.validate("198.51.100.60", user, sent.transactionId(), code.equals("000000") ? "111111" : "000000");
        assertEquals(400, wrong.status(), wrong.body().toString()); // the hundredth is still answered as wrong
        Answer right = p.validate("198.51.100.60", user, sent.transactionId(), code);
        assertEquals(429, right.status());
        assertTrue(right.errors().startsWith("Too many consecutive wrong OTPs for this user"), right.errors());
    }

    @Test
    void aSuccessResetsTheConsecutiveCount() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        String user = p.user("z1", "DE", 1);
        Answer sent = p.generate("198.51.100.61", user);
        Pumping.counter(dynamo, "consecutive#" + p.org + "#1#" + user, "Count", 42);
        assertEquals(200, p.validate("198.51.100.61", user, sent.transactionId(), p.lastCode()).status());
        assertTrue(!limit("consecutive#" + p.org + "#1#" + user).containsKey("Count"));
    }

    @Test
    void aCallerSprayingWrongCodesAcrossUsersMeetsItsHourlyBudget() {
        Pumping p = new Pumping(data, dynamo, aws, List.of("DE"));
        String user = p.user("s0", "DE", 0);
        Answer sent = p.generate("198.51.100.62", user);
        String code = p.lastCode();
        Pumping.counter(dynamo, "fails#caller#" + p.org + "/google@sum.com#" + Pumping.hour(), "Count", 200);
        Answer wrong = p.validate("198.51.100.62", user, sent.transactionId(), code.equals("000000") ? "111111" : "000000");
        Answer right = p.validate("198.51.100.62", user, sent.transactionId(), code);
        assertEquals(429, wrong.status());
        assertTrue(wrong.errors().startsWith("Too many wrong OTPs from this application"), wrong.errors());
        // right or wrong, the same answer; the retry-after may tick a second between the two calls
        assertEquals(wrong.errors().replaceAll("in \\d+ seconds", "in N seconds"),
                right.errors().replaceAll("in \\d+ seconds", "in N seconds"), "right or wrong, the same answer");
    }

    private OtpTransaction transaction(String id, String user) {
        Instant now = Instant.now();
        return new OtpTransaction(id + System.nanoTime(), "1", "1", user, user, Channel.SMS, "h", now, now.plusSeconds(300),
                5, 6, OtpTransaction.State.PENDING);
    }

    private Map<String, AttributeValue> limit(String key) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey", AttributeValue.fromS(key)))
                .consistentRead(true)).item();
    }
}
