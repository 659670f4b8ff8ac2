package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.dynamo.OrgAttr;
import dev.otpgate.otp.Channel;
import dev.otpgate.otp.FraudCheck;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.OtpStore;
import dev.otpgate.otp.OtpTransaction;
import dev.otpgate.otp.Policy;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Pumping;
import dev.otpgate.support.RawEvents.Answer;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 16 finding 2: one organisation's traffic must not shut the others out (docs/limits-and-fraud.md "Per
 * organisation and per deployment"); and finding 6's IPv6 allow-list entry. Through the function, with the test
 * profile's fraud defaults (its allow-list: the loopback, US numbers, 2001:db8:a11::/48, the caller
 * fair-allowed/google@sum.com).
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class FairShareTest extends FunctionTest {

    @Inject
    DynamoDbClient dynamo;

    @Inject
    OtpStore store;

    @Test
    void oneOrganisationsUnverifiedSmsToACountryLeaveAnotherOrganisationsFirstSmsThere() {
        Pumping first = new Pumping(data, dynamo, aws, List.of("PK"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, first.generate("198.51.100." + (120 + i), first.user("k" + i, "PK", i)).status());
        }
        Answer fourth = first.generate("198.51.100.123", first.user("k3", "PK", 3));
        assertEquals(429, fourth.status(), "the first organisation meets its own country rule");
        assertTrue(fourth.errors().startsWith("Too many unconfirmed OTPs were requested to this country"), fourth.errors());

        Pumping second = new Pumping(data, dynamo, aws, List.of("PK"));
        Answer other = second.generate("198.51.100.130", second.user("n0", "PK", 9));
        assertEquals(200, other.status(), "a new user of another organisation, from a new address: " + other.body());
        assertEquals(4, Recorded.calls(aws, "Publish").size(), "its SMS went out");
    }

    @Test
    void tenOrganisationsAtTheirOwnFloorLeaveAnEleventhsFirstSmsToTheCountry() {
        // Issue 22, finding 8: ten organisations with three unverified SMS each to PK (their own hourly floor) fill the
        // deployment-wide counter (10 x 3); an organisation with none of its own there is not refused by it.
        for (int k = 0; k < 10; k++) {
            Pumping org = new Pumping(data, dynamo, aws, List.of("PK"));
            for (int i = 0; i < 3; i++) {
                Answer a = org.generate("192.0.2." + (k * 3 + i + 1), org.user("f" + i, "PK", i));
                assertEquals(200, a.status(), "organisation " + k + ", SMS " + i + ": " + a.body());
            }
        }
        Pumping eleventh = new Pumping(data, dynamo, aws, List.of("PK"));
        Answer first = eleventh.generate("192.0.2.101", eleventh.user("e0", "PK", 0));
        assertEquals(200, first.status(), "an organisation's first unverified SMS to the country: " + first.body());
        Answer second = eleventh.generate("192.0.2.102", eleventh.user("e1", "PK", 1));
        assertEquals(429, second.status(), "with one of its own, the deployment-wide rule holds it: " + second.body());
        assertTrue(second.errors().startsWith("Too many unconfirmed OTPs were requested to this country"), second.errors());
        assertEquals(31, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void anOrganisationsDailyBudgetRefusesItWellBelowTheDeployments() {
        Pumping spender = new Pumping(data, dynamo, aws, List.of("DE", "IT"));
        budget(spender.org, 2);
        assertEquals(200, spender.generate("198.51.100.140", spender.user("b0", "DE", 0)).status());
        assertEquals(200, spender.generate("198.51.100.141", spender.user("b1", "IT", 1)).status());
        Answer third = spender.generate("198.51.100.142", spender.user("b2", "DE", 2));
        assertEquals(429, third.status(), third.body().toString());
        assertTrue(third.errors().startsWith("This organisation's daily OTP budget is used up"), third.errors());
        assertEquals(2, Recorded.calls(aws, "Publish").size());

        Pumping other = new Pumping(data, dynamo, aws, List.of("DE"));
        assertEquals(200, other.generate("198.51.100.143", other.user("o0", "DE", 3)).status(),
                "the deployment's budget is far from spent: another organisation still sends");
    }

    @Test
    void anAllowListedCallerIsStillBoundedByItsOrganisationsBudget() {
        Pumping allowed = new Pumping(data, dynamo, aws, List.of("DE"), "fair-allowed");
        budget(allowed.org, 3);
        for (int i = 0; i < 3; i++) { // one address, one country: past the country's 3 an hour only by the allow-list
            assertEquals(200, allowed.generate("198.51.100.150", allowed.user("a" + i, "DE", i)).status());
        }
        Answer fourth = allowed.generate("198.51.100.150", allowed.user("a3", "DE", 3));
        assertEquals(429, fourth.status(), fourth.body().toString());
        assertTrue(fourth.errors().startsWith("This organisation's daily OTP budget is used up"), fourth.errors());
        assertEquals(3, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void theOrganisationsBudgetIsSetWithTheToolAndMustStayBelowTheDeployments() {
        String org = "fa-admin-" + System.nanoTime() % 100_000; // no settings yet: within the tool's bounds
        Operator.Run whole = Operator.run(dynamo, "", "org", "put", "--org", org, "--sms-budget-per-day", "10000");
        assertEquals(1, whole.status(), whole.out() + whole.err());
        assertTrue(whole.out().contains("sms-budget-per-day: 1 to 9999 (below the deployment's 10000)"), whole.out());
        Operator.Run email = Operator.run(dynamo, "", "org", "put", "--org", org, "--email-budget-per-day", "0");
        assertEquals(1, email.status(), email.out() + email.err());
        assertTrue(email.out().contains("email-budget-per-day: 1 to 99999"), email.out());
        assertEquals(null, dynamo.getItem(r -> r.tableName(AwsLocalResource.ORGS)
                .key(Map.of("OrgID", AttributeValue.fromS(org)))).item().get(OrgAttr.SMS_BUDGET_PER_DAY), "nothing stored");

        Operator.Run ok = Operator.run(dynamo, "", "org", "put", "--org", org, "--sms-budget-per-day", "500");
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(Operator.run(dynamo, "", "org", "show", "--org", org).out().contains("sms-budget-per-day: 500"));
    }

    @Test
    void organisationsBudgetsAreReservedTheToolRefusesToPromiseMoreThanTheDeploymentSends() {
        // Issue 22, finding 8: two organisations at 9,999 of a 10,000 budget were both accepted.
        String first = "fa-res1-" + System.nanoTime() % 100_000;
        String second = "fa-res2-" + System.nanoTime() % 100_000;
        try {
            Operator.Run most = Operator.run(dynamo, "", "org", "put", "--org", first, "--sms-budget-per-day", "9000");
            assertEquals(0, most.status(), most.out() + most.err());
            Operator.Run over = Operator.run(dynamo, "", "org", "put", "--org", second, "--sms-budget-per-day", "9000");
            assertEquals(1, over.status(), over.out() + over.err());
            assertTrue(over.out().contains("Not stored; over-subscribed: sms-budget-per-day: the other organisations' own"
                    + " budgets hold"), over.out());
            assertTrue(dynamo.getItem(r -> r.tableName(AwsLocalResource.ORGS)
                    .key(Map.of("OrgID", AttributeValue.fromS(second)))).item().isEmpty(), "nothing stored");
            Operator.Run again = Operator.run(dynamo, "", "org", "put", "--org", first, "--sms-budget-per-day", "9400");
            assertEquals(0, again.status(), "its own budget is not counted twice: " + again.out());
        } finally {
            Operator.run(dynamo, "", "org", "put", "--org", first, "--sms-budget-per-day", "");
        }
    }

    @Test
    void anIpv6RangeOnTheAllowListMatchesItsAddresses() {
        String[] countries = { "DE", "IT", "ES" };
        Pumping p = new Pumping(data, dynamo, aws, List.of(countries));
        for (int i = 0; i < 6; i++) { // one past the address's 5 an hour
            Answer a = p.generate("2001:db8:a11:7::" + (i + 1), p.user("v" + i, countries[i % 3], i));
            assertEquals(200, a.status(), "send " + (i + 1) + " from the allow-listed 2001:db8:a11::/48: " + a.body());
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, p.generate("2001:db8:b22:7::" + (i + 1), p.user("w" + i, countries[i % 3], 10 + i)).status());
        }
        Answer sixth = p.generate("2001:db8:b22:7::6", p.user("w5", "ES", 15));
        assertEquals(429, sixth.status(), "outside the range the address rule holds: " + sixth.body());
    }

    @Test
    void recordModeCountsTheOrganisationsCountryRuleButItsBudgetStillRefuses() {
        // The store as FraudGuard calls it in record mode: the organisation's country rule at one an hour, its budget 3.
        String org = "rec-" + System.nanoTime() % 100_000;
        FraudCheck record = new FraudCheck(Channel.SMS, null, "DE", org + "/x", false, 0, 0, 3, 1, 10, 10, 100, 1, 0, 1,
                3, 1, 0);
        Policy.Limits limits = new Policy.Limits(5, 20, Duration.ZERO, 100, Duration.ofMinutes(15));
        assertEquals(List.of(), store.issue(transaction(org, "u1"), "dest-1", limits, Instant.now(), record));
        assertEquals(List.of("fraud_country_hourly"), store.issue(transaction(org, "u2"), "dest-2", limits, Instant.now(), record));
        Map<String, AttributeValue> day = dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey",
                AttributeValue.fromS("fraud#org#" + org + "#SMS#" + Pumping.day() + "#0"))).consistentRead(true)).item();
        assertEquals("2", day.get("UH" + Pumping.hour() + "#DE").n(), "counted anyway");
        assertEquals("2", day.get("Sends").n());
        store.issue(transaction(org, "u3"), "dest-3", limits, Instant.now(), record);
        OtpFailure spent = assertThrows(OtpFailure.class,
                () -> store.issue(transaction(org, "u4"), "dest-4", limits, Instant.now(), record));
        assertEquals("org_sms_budget", spent.outcome(), "a hard cap in either mode");
    }

    private static OtpTransaction transaction(String org, String user) {
        Instant now = Instant.now();
        return new OtpTransaction(user + System.nanoTime(), org, "1", user, user, Channel.SMS, "h", now,
                now.plusSeconds(300), 5, 6, OtpTransaction.State.PENDING);
    }

    /** The organisation's SMS budget, written directly as `org put --sms-budget-per-day` stores it. */
    private void budget(String org, int perDay) {
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.ORGS).key(Map.of("OrgID", AttributeValue.fromS(org)))
                .updateExpression("SET SmsBudgetPerDay = :b")
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromN(Integer.toString(perDay)))));
    }
}
