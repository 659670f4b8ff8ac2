package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Pumping;
import dev.otpgate.support.RawEvents.Answer;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * With two regions each counts its own budgets (docs/regions.md "Counters that stay regional"): a region with half of
 * them (otp.fraud.region-budget-percent=50) refuses an organisation at half its budget, so the two together never send
 * more than it. Through the function.
 */
@QuarkusTest
@TestProfile(RegionBudgetTest.HalfShare.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class RegionBudgetTest extends FunctionTest {

    public static class HalfShare implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.fraud.region-budget-percent", "50");
        }
    }

    @Inject
    DynamoDbClient dynamo;

    @Test
    void aRegionWithHalfTheShareRefusesAnOrganisationAtHalfItsBudget() {
        Pumping spender = new Pumping(data, dynamo, aws, List.of("DE", "IT"));
        budget(spender.org, 4); // the organisation's budget of the deployment: 4 a day, so 2 in this region
        assertEquals(200, spender.generate("198.51.100.150", spender.user("h0", "DE", 0)).status());
        assertEquals(200, spender.generate("198.51.100.151", spender.user("h1", "IT", 1)).status());
        Answer third = spender.generate("198.51.100.152", spender.user("h2", "DE", 2));
        assertEquals(429, third.status(), third.body().toString());
        assertTrue(third.errors().startsWith("This organisation's daily OTP budget is used up"), third.errors());
        assertEquals(2, Recorded.calls(aws, "Publish").size(), "half of 4 went out here; the other region has the rest");
    }

    /** The organisation's SMS budget, written directly as `org put --sms-budget-per-day` stores it. */
    private void budget(String org, int perDay) {
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.ORGS).key(Map.of("OrgID", AttributeValue.fromS(org)))
                .updateExpression("SET SmsBudgetPerDay = :b")
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromN(Integer.toString(perDay)))));
    }
}
