package dev.otpgate;

import static dev.otpgate.support.Flows.generate;
import static dev.otpgate.support.Flows.validate;
import static dev.otpgate.support.Flows.wrong;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Flows.Issued;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** ADM_ValidateOTP and its guard rails, through the Lambda mock event server and DynamoDB Local. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class ValidateOtpTest extends FunctionTest {

    @Test
    void theRightCodeIsAcceptedOnceInTwoRoundTrips() {
        Issued otp = generate(aws);
        AwsCallCounter.reset();
        Response ok = validate(otp.transactionId(), "967", otp.code());
        ok.then().statusCode(200);
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems"),
                AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS)); // apart from authenticating the caller
        JsonNode body = Seed.tree(ok.asString());
        assertEquals(List.of("Errors", "Message", "Output", "TokenID", "OrgID", "OutputObject", "OutputID", "Input"),
                fieldNames(body));
        assertEquals("", body.get("Errors").asText());
        assertTrue(body.at("/OutputObject/OTP_Validation/0/Message").isTextual());
        assertNull(data.transaction(otp.transactionId()).get("CodeHash"), "a used code leaves no hash behind");

        validate(otp.transactionId(), "967", otp.code()).then().statusCode(409)
                .body("Errors", equalTo("The OTP has already been used"));
    }

    @Test
    void aWrongCodeSaysHowManyAttemptsAreLeftAndTheRightOneStillWorks() {
        Issued otp = generate(aws);
        validate(otp.transactionId(), "967", wrong(otp.code())).then().statusCode(400)
                .body("Errors", equalTo("Wrong OTP; 4 attempts left"));
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
    }

    @Test
    void afterFiveWrongGuessesEvenTheRightCodeFails() {
        Issued otp = generate(aws);
        for (int left = 4; left >= 1; left--) {
            validate(otp.transactionId(), "967", wrong(otp.code())).then().statusCode(400)
                    .body("Errors", equalTo("Wrong OTP; " + left + (left == 1 ? " attempt" : " attempts") + " left"));
        }
        validate(otp.transactionId(), "967", wrong(otp.code())).then().statusCode(400)
                .body("Errors", equalTo("Wrong OTP; no attempts left, the OTP is locked; ask for a new one"));
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(429)
                .body("Errors", equalTo("The OTP is locked after too many wrong attempts; ask for a new one"));
    }

    @Test
    @DisabledOnIntegrationTest("moves the function's Clock bean (QuarkusMock): only a test-mode function has beans to reach")
    void anExpiredCodeFailsAlthoughTtlHasNotDeletedItYet() {
        Issued otp = generate(aws);
        // Six minutes later, as far as the function can tell; the item's TTL is still in the future for
        // DynamoDB, so it is surely still there: only the function's own check can refuse it.
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)), Clock.class);
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(410)
                .body("Errors", equalTo("The OTP has expired; ask for a new one"));
    }

    @Test
    void aNewCodeReplacesTheOutstandingOne() {
        Issued first = generate(aws);
        data.endCooldowns();
        Issued second = generate(aws);
        validate(first.transactionId(), "967", first.code()).then().statusCode(409)
                .body("Errors", equalTo("The OTP was replaced by a newer one; use the latest OTP sent"));
        validate(second.transactionId(), "967", second.code()).then().statusCode(200);
    }

    @Test
    void anUnknownTransactionAndAnotherLoginUidGetTheSameAnswer() {
        Issued otp = generate(aws);
        Response unknown = validate("8c4b1a52-5b1e-4b0e-9d49-3c8a9f3f0a11", "967", otp.code());
        Response otherLogin = validate(otp.transactionId(), "968", otp.code());
        unknown.then().statusCode(404).body("Errors", equalTo("Unknown TransactionID for this LoginUID"));
        otherLogin.then().statusCode(404);
        assertEquals(unknown.asString(), otherLogin.asString());
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
    }

    @Test
    void aCodeThatWasNeverDeliveredCanNeverBeUsed() {
        AwsLocalResource.stubProvidersDown(aws);
        Flows.post(Seed.request()).then().statusCode(502);
        String transactionId = data.everything().lines()
                .filter(l -> l.contains("State=AttributeValue(S=UNDELIVERED)"))
                .map(l -> l.replaceAll(".*TransactionID=AttributeValue\\(S=([0-9a-f-]{36})\\).*", "$1"))
                .findFirst().orElseThrow();
        for (String guess : new String[] { "000000", "123456", "999999" }) {
            validate(transactionId, "967", guess).then().statusCode(410)
                    .body("Errors", equalTo("The OTP was never delivered; ask for a new one"));
        }
    }

    @Test
    void aMalformedCodeIsRefusedWithoutCostingAnAttempt() {
        Issued otp = generate(aws);
        validate(otp.transactionId(), "967", "12ab56").then().statusCode(400)
                .body("Errors", equalTo("OTP_Text must be 6 digits"));
        validate(otp.transactionId(), "967", "").then().statusCode(400)
                .body("Errors", equalTo("objCommonParameters.objUserInformation.OTP_Text is mandatory"));
        assertEquals("5", data.transaction(otp.transactionId()).get("AttemptsLeft").n());
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
    }

    @Test
    void newCodesDoNotResetTheUsersBudgetOfWrongGuesses() {
        // 20 wrong guesses per hour per user (default): 3 codes x 5, a 4th x 4, then 1 on a 5th code.
        for (int i = 0; i < 4; i++) {
            Issued otp = generate(aws);
            for (int g = 0; g < (i < 3 ? 5 : 4); g++) {
                validate(otp.transactionId(), "967", wrong(otp.code())).then().statusCode(400);
            }
            data.endCooldowns();
        }
        Issued last = generate(aws);
        validate(last.transactionId(), "967", wrong(last.code())).then().statusCode(400)
                .body("Errors", equalTo("Wrong OTP; 4 attempts left"));
        Response spent = validate(last.transactionId(), "967", last.code());
        spent.then().statusCode(429).body("Errors", org.hamcrest.Matchers.startsWith("Too many wrong OTPs for this user"));
        assertTrue(Integer.parseInt(spent.header("Retry-After")) <= 3600);
        data.endCooldowns();
        int sent = dev.otpgate.support.Recorded.calls(aws, "Publish").size();
        Flows.post(Seed.request()).then().statusCode(429)
                .body("Errors", org.hamcrest.Matchers.startsWith("Too many wrong OTPs for this user"));
        assertEquals(sent, dev.otpgate.support.Recorded.calls(aws, "Publish").size(), "no code is sent to a locked-out user");
    }

    @Test
    void aCodeSentAsAJsonNumberKeepsItsLeadingZeros() {
        // About one code in ten starts with 0; clients that send OTP_Text as a number drop it (audit defect 6).
        Issued otp = generate(aws);
        for (int i = 0; i < 300 && !otp.code().startsWith("0"); i++) {
            data.clearLimits();
            otp = generate(aws);
        }
        assertTrue(otp.code().startsWith("0"), "no code with a leading zero in 300 tries");
        String asNumber = Flows.validateRequest(otp.transactionId(), "967", otp.code())
                .replace("\"OTP_Text\":\"" + otp.code() + "\"", "\"OTP_Text\":" + Long.parseLong(otp.code()));
        assertTrue(asNumber.contains("\"OTP_Text\":" + Long.parseLong(otp.code()) + ","), asNumber);
        Flows.post(asNumber).then().statusCode(200);
    }

    @Test
    void numericCodesThatCannotBeACodeAreClearErrors() {
        Issued otp = generate(aws);
        String template = Flows.validateRequest(otp.transactionId(), "967", "CODE").replace("\"CODE\"", "%s");
        Flows.post(template.formatted("1234567")).then().statusCode(400).body("Errors", equalTo("OTP_Text must be 6 digits"));
        Flows.post(template.formatted("-12345")).then().statusCode(400).body("Errors", equalTo("OTP_Text must be 6 digits"));
        Flows.post(template.formatted("12345.0")).then().statusCode(400).body("Errors", equalTo("OTP_Text must be 6 digits"));
        Flows.post(template.formatted("012345")).then().statusCode(400)
                .body("Errors", org.hamcrest.Matchers.startsWith("Malformed JSON at line 1"));
        assertEquals("5", data.transaction(otp.transactionId()).get("AttemptsLeft").n(), "none of them cost an attempt");
        validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
    }

    @Test
    void aReplacedCodeGivesTheSameAnswerRightOrWrongOnceTheBudgetIsSpent() {
        // Audit defect 11: the two writes checked in a different order, so a spent budget answered 409 to the
        // right code and 429 to a wrong one, uncounted: an oracle.
        Issued first = generate(aws);
        data.endCooldowns();
        generate(aws);
        data.spendGuessBudget("1", "967");
        Response right = validate(first.transactionId(), "967", first.code());
        Response wrong = validate(first.transactionId(), "967", wrong(first.code()));
        right.then().statusCode(429);
        wrong.then().statusCode(429);
        // the same answer; the retry-after may tick a second between the two calls (slower on the package)
        assertEquals(right.path("Errors").toString().replaceAll("in \\d+ seconds", "in N seconds"),
                wrong.path("Errors").toString().replaceAll("in \\d+ seconds", "in N seconds"));
        assertEquals("5", data.transaction(first.transactionId()).get("AttemptsLeft").n(), "nothing counted");
    }

    /**
     * The code as a value of its own (S=123456, "code 123456."): not inside a longer run of letters and digits, such as
     * the hex of a TransactionID or a hash, where six digits turn up by chance in a whole run's tables (the package
     * stage's run failed so once).
     */
    private static boolean standsAlone(String text, String code) {
        return Pattern.compile("(?<![0-9A-Za-z])" + code + "(?![0-9A-Za-z])").matcher(text).find();
    }

    @Test
    void noCodeIsStoredInPlainTextAnywhere() {
        Issued used = generate(aws);
        validate(used.transactionId(), "967", used.code()).then().statusCode(200);
        data.endCooldowns();
        Issued pending = generate(aws);
        String everything = data.everything();
        assertTrue(everything.contains(pending.transactionId()));
        // as a value of its own: a 6-digit code is also somewhere inside the many timestamps of a whole run's tables
        assertFalse(standsAlone(everything, used.code()), "used code found in a table");
        assertFalse(standsAlone(everything, pending.code()), "pending code found in a table");
        assertFalse(everything.contains("4155554219") && everything.contains("LimitKey=AttributeValue(S=dest#+1"),
                "limit keys hold a keyed hash, not the number");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
