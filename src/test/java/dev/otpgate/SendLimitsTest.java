package dev.otpgate;

import static dev.otpgate.support.Flows.generate;
import static dev.otpgate.support.Flows.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Send cooldowns and windows per user and per destination, and the SMS country allow-list. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class SendLimitsTest extends FunctionTest {

    @Test
    void aSecondRequestWithinTheCooldownIsRefusedWith429AndNothingIsStoredOrSent() {
        generate(aws);
        int stored = data.transactionCount();
        Response again = post(Seed.request());
        again.then().statusCode(429)
                .body("Errors", matchesPattern("Too many OTP requests; try again in \\d+ seconds"));
        int wait = Integer.parseInt(again.header("Retry-After"));
        assertTrue(wait >= 1 && wait <= 30, "Retry-After " + wait);
        assertEquals(1, Recorded.calls(aws, "Publish").size(), "a double tap sends once");
        assertEquals(stored, data.transactionCount());
    }

    @Test
    void atMostFiveSendsPerUserInFifteenMinutes() {
        for (int i = 0; i < 5; i++) {
            generate(aws);
            data.endCooldowns();
        }
        Response sixth = post(Seed.request());
        sixth.then().statusCode(429);
        assertTrue(Integer.parseInt(sixth.header("Retry-After")) <= 900);
        assertEquals(5, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void theCooldownAlsoHoldsPerDestinationAcrossUsers() {
        data.user("1", "971", "twin", "+14155554219", null); // another account, the same phone
        generate(aws);
        post(Seed.requestWith(u -> u.put("UserID", 971).put("UserName", "twin"))).then().statusCode(429);
        assertEquals(1, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void smsGoesOnlyToAllowedCountries() {
        data.user("1", "972", "paris", "+33612345678", null);
        int stored = data.transactionCount();
        post(Seed.requestWith(u -> u.put("UserID", 972).put("UserName", "paris"))).then().statusCode(422)
                .body("Errors", equalTo("SMS to the user's country is not enabled"));
        data.user("1", "973", "bogus", "+1555", null);
        post(Seed.requestWith(u -> u.put("UserID", 973).put("UserName", "bogus"))).then().statusCode(422)
                .body("Errors", equalTo("The user's mobile number is not a valid phone number"));
        assertEquals(0, Recorded.all(aws), "no SMS left");
        assertEquals(stored, data.transactionCount(), "nothing stored");
    }
}
