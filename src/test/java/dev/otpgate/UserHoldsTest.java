package dev.otpgate;

import static dev.otpgate.support.Flows.generate;
import static dev.otpgate.support.Flows.post;
import static dev.otpgate.support.Flows.validate;
import static dev.otpgate.support.Flows.wrong;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows.Issued;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Pumping;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A user under attack by guessing (docs/limits-and-fraud.md "Users under attack"): from the 20th consecutive wrong
 * code on each further try waits, the wait doubling; at the cap (100) no code is sent until an operator unlocks.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class UserHoldsTest extends FunctionTest {

    private static final String CAPPED = "Too many consecutive wrong OTPs for this user; ask the administrator to unlock the account";
    private static final String WAIT = "Too many consecutive wrong OTPs for this user; try again in \\d+ seconds";

    @Test
    void oneCallersGuessingHoldsThatCallerNotTheUsersOtherCallers() {
        // Issue 22, finding 1: two callers with a grant for user 967; the first sends 20 wrong codes.
        String second = "second-" + java.util.UUID.randomUUID() + "@sum.com";
        data.caller("1", second, "the-second-password", null, java.util.Set.of("1"));
        com.fasterxml.jackson.databind.JsonNode twentieth;
        try (dev.otpgate.support.CallLines lines = dev.otpgate.support.CallLines.capture()) {
            for (int c = 0; c < 4; c++) {
                data.endCooldowns();
                Issued code = generate(aws);
                for (int i = 0; i < 5; i++) {
                    validate(code.transactionId(), "967", wrong(code.code())).then().statusCode(400);
                }
            }
            twentieth = lines.last();
        }
        data.endCooldowns();
        Response other = post(AuthTest.form(second, "the-second-password", "967", "abcd"));
        assertEquals(200, other.statusCode(), "the other caller still gets a code: " + other.asString());
        List<java.util.Map<String, String>> sms = Recorded.calls(aws, "Publish");
        String code = dev.otpgate.support.Recorded.code(sms.get(sms.size() - 1).get("Message"), 6);
        Response right = post(AuthTest.validation(other.path("OutputObject.OTP_Communication[0].TransactionID"), code,
                p -> p.put("UserName", second).put("Password", "the-second-password")));
        assertEquals(200, right.statusCode(), "the other caller's right code: " + right.asString());

        data.endCooldowns();
        // The first caller is held: its hour's budget for the user is spent, and its wait runs behind it.
        post(Seed.request()).then().statusCode(429)
                .body("Errors", matchesPattern("Too many (consecutive )?wrong OTPs for this user; try again in \\d+ seconds"));
        assertEquals("caller_wait", twentieth.path("guessHold").asText(), twentieth.toString());
        assertEquals(1, twentieth.path("GuessHolds").asInt(), "the metric GuessHoldAlarm reads");
    }

    @Test
    void atTheCapAGenerateIs429AndNoSmsIsSent() {
        Issued first = generate(aws);
        consecutive(99);
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400); // the hundredth
        data.endCooldowns();
        int sent = Recorded.calls(aws, "Publish").size();
        int stored = data.transactionCount();
        post(Seed.request()).then().statusCode(429).body("Errors", equalTo(CAPPED));
        assertEquals(sent, Recorded.calls(aws, "Publish").size(), "no SMS to a user who could not use it");
        assertEquals(stored, data.transactionCount(), "nothing stored");
    }

    @Test
    void fromTheTwentiethConsecutiveFailureEachTryWaitsAndTheWaitDoubles() {
        Issued first = generate(aws);
        consecutive(19);
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400); // the 20th: 60 s
        Response right = validate(first.transactionId(), "967", first.code());
        right.then().statusCode(429).body("Errors", matchesPattern(WAIT));
        long wait = Long.parseLong(right.header("Retry-After"));
        assertTrue(wait >= 1 && wait <= 60, "Retry-After " + wait);
        data.endCooldowns();
        int sent = Recorded.calls(aws, "Publish").size();
        Response again = post(Seed.request());
        again.then().statusCode(429).body("Errors", matchesPattern(WAIT));
        assertTrue(Long.parseLong(again.header("Retry-After")) <= 60);
        assertEquals(sent, Recorded.calls(aws, "Publish").size(), "no SMS during the wait");

        waited();
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400); // the 21st: 120 s
        Response later = validate(first.transactionId(), "967", first.code());
        later.then().statusCode(429).body("Errors", matchesPattern(WAIT));
        long doubled = Long.parseLong(later.header("Retry-After"));
        assertTrue(doubled > 60 && doubled <= 120, "Retry-After " + doubled);

        waited();
        validate(first.transactionId(), "967", first.code()).then().statusCode(200); // and the user gets in
    }

    @Test
    void aWrongGuessDuringTheWaitIsRefusedByOneWrite() {
        Issued first = generate(aws);
        consecutive(19);
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400); // the 20th: 60 s
        AwsCallCounter.reset();
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(429).body("Errors", matchesPattern(WAIT));
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems"),
                AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS), "the transaction read, one refused write");
    }

    @Test
    void afterUserUnlockThroughTheToolTheUserGetsACodeAndValidates() {
        Issued first = generate(aws);
        consecutive(99);
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400);
        data.endCooldowns();
        post(Seed.request()).then().statusCode(429).body("Errors", equalTo(CAPPED));

        Operator.Run run = Operator.run(data.dynamo(), "", "user", "unlock", "--org", "1", "--domain", "1", "--user", "967");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("unlocked"), run.out());
        Issued second = generate(aws);
        validate(second.transactionId(), "967", second.code()).then().statusCode(200);
    }

    @Test
    void userUnlockNeedsItsIds() {
        Operator.Run run = Operator.run(data.dynamo(), "", "user", "unlock", "--org", "1", "--domain", "1");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("Missing required option: '--user=U'"), run.err());
    }

    /** The seed caller's consecutive wrong guesses of the user, as that many would have left them (the user's too). */
    private void consecutive(long count) {
        Pumping.counter(data.dynamo(), "consecutive#1#967", "Count", count);
        Pumping.counter(data.dynamo(), "consecutive#1#967", "C#" + SEED_CALLER, count);
    }

    /** The seed caller's wait for the user has ended, as waiting it out would. */
    private void waited() {
        Pumping.counter(data.dynamo(), "consecutive#1#967", "U#" + SEED_CALLER, Instant.now().getEpochSecond() - 1);
    }

    private static final String SEED_CALLER = "1/google@sum.com";
}
