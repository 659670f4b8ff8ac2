package dev.otpgate;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.ops.CallMetrics;
import dev.otpgate.otp.GenerateOtp;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.CallLines;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Logged;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import dev.otpgate.support.Stalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An SNS that takes the message and does not answer (audit issue 8, defect 3): the function must give up on
 * its own, well inside the Lambda timeout (10 s), answer the 502 envelope, leave the transaction unusable and
 * count a delivery failure, instead of being killed by Lambda with nothing answered, logged or counted.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class StalledSendTest extends FunctionTest {

    /** Issue 16, finding 9: the behaviour (the send timeout abandons the call), no wall-clock bound a busy machine breaks. */
    @Test
    void aStalledSnsIsAbandonedByTheSendTimeoutAndTheCodeIsUnusable() {
        Stalls.stallAction(aws, "Publish");
        try (CallLines lines = CallLines.capture(); Logged logged = Logged.on(GenerateOtp.class.getName())) {
            long start = System.nanoTime();
            Response r = Flows.post(Seed.request());
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("[measured] stalled SNS Publish answered " + r.statusCode() + " in " + millis + " ms");

            r.then().statusCode(502).contentType("application/json")
                    .body("Errors", equalTo("The OTP could not be delivered; try again later"))
                    .body("OutputObject", org.hamcrest.Matchers.nullValue());
            assertTrue(logged.all().matches("(?s).*delivery by SMS to \\*+\\d{4} failed: ApiCall(Attempt)?TimeoutException.*"),
                    "the SDK's call timeout abandoned the send: " + logged.all());
            assertTrue(millis < Stalls.STALL_MILLIS, "answered before the stalled SNS did: " + millis + " ms");
            assertEquals(1, Recorded.calls(aws, "Publish").size(), "one attempt: a timed-out Publish is not resent");

            String transactionId = data.currentTransactionId("1", "967");
            assertNotNull(transactionId);
            Map<String, AttributeValue> stored = data.transaction(transactionId);
            assertEquals("UNDELIVERED", stored.get("State").s(), "the code may have reached no one: unusable");
            assertFalse(stored.containsKey("CodeHash"), "nothing left to compare a guess against");

            JsonNode line = lines.last();
            assertEquals("delivery_failed", line.get("outcome").asText(), line.toString());
            assertEquals(502, line.get("status").asInt());
            assertEquals(1, line.get(CallMetrics.DELIVERY_FAILURES).asInt(), "the alarm counts it");
            assertEquals(0, line.get(CallMetrics.CODES_SENT).asInt());

            // the SMS SNS may still deliver: its code is refused
            String code = Recorded.code(Recorded.calls(aws, "Publish").get(0).get("Message"), 6);
            Flows.validate(transactionId, "967", code).then().statusCode(410)
                    .body("Errors", equalTo("The OTP was never delivered; ask for a new one"));
        }
    }

    /**
     * Issue 16, finding 11: an SNS that answers in 3 s, well inside the 10 s the function has, delivers the SMS.
     * The send used to give up at 2 s and mark the code undelivered while SNS sent it: a code that could not work.
     */
    @Test
    void aSlowSnsThatAnswersWithinTheBudgetDeliversAUsableCode() {
        AwsLocalResource.stubProvidersUp(aws);
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/")
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=Publish")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/xml").withFixedDelay(SLOW_SNS_MILLIS)
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>slow</MessageId></PublishResult></PublishResponse>")));
        Response r = Flows.post(Seed.request());
        r.then().statusCode(200);
        assertEquals(1, Recorded.calls(aws, "Publish").size());
        String code = Recorded.code(Recorded.calls(aws, "Publish").get(0).get("Message"), 6);
        Flows.validate(r.path("OutputObject.OTP_Communication[0].TransactionID"), "967", code).then().statusCode(200);
    }

    /** Longer than the send's guaranteed 2 s, well inside what is left of the 10 s. */
    static final int SLOW_SNS_MILLIS = 3_000;
}
