package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.otpgate.support.Flows.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * otp.sms.sender=end-user-messaging: the SMS goes out as one End User Messaging SendTextMessage through the real SDK
 * client (JSON 1.0 protocol, recorded by the local WireMock), and a right code is reported back as received.
 */
@QuarkusTest
@TestProfile(EndUserMessagingSmsTest.Eum.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class EndUserMessagingSmsTest extends FunctionTest {

    public static class Eum implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.sms.sender", "end-user-messaging",
                    "otp.end-user-messaging.configuration-set", "otp-gate-test",
                    "otp.end-user-messaging.max-price", "0.05",
                    "otp.end-user-messaging.origination-identity", "pool-0123456789abcdef",
                    "otp.fallback", "true"); // a refused SMS goes by e-mail where the user has an address
        }
    }

    @Test
    void aGenerateMakesOneSendTextMessageWithTheSendTermsAndTheCodeInTheBodyOnly() {
        Response r = post(Seed.request());
        r.then().statusCode(200);
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        assertEquals("OTP sent to ********4219", r.path("OutputObject.OTP_Communication[0].Message"), "masked as before");
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems", "EndUserMessaging.SendTextMessage",
                "DynamoDb.UpdateItem"), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS),
                "one send, then its MessageId kept on the transaction; no SNS Publish");
        assertEquals(0, Recorded.calls(aws, "Publish").size());

        List<JsonNode> sends = Recorded.endUserMessaging(aws, "SendTextMessage");
        assertEquals(1, sends.size());
        JsonNode send = sends.get(0);
        assertEquals("+14155554219", send.path("DestinationPhoneNumber").asText());
        assertEquals("TRANSACTIONAL", send.path("MessageType").asText());
        assertEquals("otp-gate-test", send.path("ConfigurationSetName").asText());
        assertEquals("0.05", send.path("MaxPrice").asText());
        assertEquals("pool-0123456789abcdef", send.path("OriginationIdentity").asText(),
                "the deployment's identity: the organisation has none of its own");
        assertTrue(send.path("MessageFeedbackEnabled").asBoolean());
        int ttl = send.path("TimeToLive").asInt();
        assertTrue(ttl >= 5 && ttl <= 300, "no longer than what is left of the code's 5 minutes: " + ttl);
        assertEquals(Map.of("TransactionID", transactionId, "OrgID", "1"),
                Seed.JSON.convertValue(send.path("Context"), Map.class), "what an event needs to find the send again");
        String code = Recorded.code(send.path("MessageBody").asText(), 6);
        for (String field : List.of("Context", "ConfigurationSetName", "OriginationIdentity", "DestinationPhoneNumber")) {
            assertFalse(send.path(field).toString().contains(code), field + " never carries the code");
        }
        assertFalse(send.path("Context").toString().contains("4219"), "nor the number");

        Map<String, ?> stored = data.transaction(transactionId);
        assertEquals("PENDING", data.transaction(transactionId).get("State").s());
        assertTrue(stored.containsKey("MessageId"));
        assertFalse(stored.toString().contains(code));
    }

    @Test
    void theRightCodeReportsReceivedForTheMessageThatCarriedIt() throws InterruptedException {
        Response r = post(Seed.request());
        r.then().statusCode(200);
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        String code = Recorded.code(Recorded.endUserMessaging(aws, "SendTextMessage").get(0).path("MessageBody").asText(), 6);
        String messageId = data.transaction(transactionId).get("MessageId").s();

        Flows.validate(transactionId, "967", Flows.wrong(code)).then().statusCode(400);
        assertEquals(0, Recorded.endUserMessaging(aws, "PutMessageFeedback").size(), "a wrong code reports nothing");

        // A right code that the write refuses (the caller's hourly guesses for this user spent) used nothing up.
        data.spendGuessBudget("1", "967");
        Flows.validate(transactionId, "967", code).then().statusCode(429);
        assertEquals(0, Recorded.endUserMessaging(aws, "PutMessageFeedback").size(), "a refused right code is no conversion");
        data.dynamo().deleteItem(d -> d.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS("consecutive#1#967"))));

        long start = System.nanoTime();
        Flows.validate(transactionId, "967", code).then().statusCode(200);
        System.out.println("[measured] validate with feedback answered in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        List<JsonNode> feedback = awaitFeedback(1);
        assertEquals(1, feedback.size());
        assertEquals(messageId, feedback.get(0).path("MessageId").asText(), "the message that carried the code");
        assertEquals("RECEIVED", feedback.get(0).path("MessageFeedbackStatus").asText());
    }

    /**
     * A destination End User Messaging refuses for good (here the route costs more than MaxPrice): a clean envelope
     * error, and the code that was never sent cannot be used, whoever learns it.
     */
    @Test
    void aSendRefusedForGoodIsACleanErrorAndLeavesNoUsableCode() {
        data.user("1", "981", "noemail", "+14155554281", null); // nothing to fall back to
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo(AwsLocalResource.EUM_TARGET + "SendTextMessage"))
                .willReturn(AwsLocalResource.endUserMessagingError("ValidationException", "PRICE_OVER_THRESHOLD")));
        Response r = post(Seed.requestWith(u -> u.put("UserID", 981).put("UserName", "noemail")));
        r.then().statusCode(502).body("Errors", org.hamcrest.Matchers.equalTo("The OTP could not be delivered; try again later"));
        assertFalse(r.asString().contains("Exception"), "no stack trace, no SDK name in the envelope");
        List<JsonNode> sends = Recorded.endUserMessaging(aws, "SendTextMessage");
        assertEquals(1, sends.size(), "a refusal is final: not retried");
        String transactionId = data.currentTransactionId("1", "981");
        var stored = data.transaction(transactionId);
        assertEquals("UNDELIVERED", stored.get("State").s());
        assertFalse(stored.containsKey("CodeHash"));
        assertNull(stored.get("MessageId"));
        String code = Recorded.code(sends.get(0).path("MessageBody").asText(), 6);
        Flows.validate(transactionId, "967", code).then().statusCode(410)
                .body("Errors", org.hamcrest.Matchers.equalTo("The OTP was never delivered; ask for a new one"));
    }

    /** The organisation falls back: End User Messaging refused the SMS for good, so the same code goes by e-mail. */
    @Test
    void aSendRefusedForGoodFallsBackToEmailWithTheSameCode() {
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo(AwsLocalResource.EUM_TARGET + "SendTextMessage"))
                .willReturn(AwsLocalResource.endUserMessagingError("ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT")));
        Response r = post(Seed.request());
        r.then().statusCode(200);
        assertEquals("OTP sent to ab***@ex***.com", r.path("OutputObject.OTP_Communication[0].Message"));
        String sms = Recorded.endUserMessaging(aws, "SendTextMessage").get(0).path("MessageBody").asText();
        String mail = Recorded.calls(aws, "SendEmail").get(0).get("Message.Body.Text.Data");
        assertEquals(Recorded.code(sms, 6), Recorded.code(mail, 6), "the same code, the other way");
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        assertEquals("EMAIL", data.transaction(transactionId).get("Channel").s());
        Flows.validate(transactionId, "967", Recorded.code(mail, 6)).then().statusCode(200);
        assertEquals(0, Recorded.endUserMessaging(aws, "PutMessageFeedback").size(), "SES gives no message to report on");
    }

    @Test
    void aThrottledSendIsRetriedAndDeliversOneCode() {
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/")).atPriority(1).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("X-Amz-Target", equalTo(AwsLocalResource.EUM_TARGET + "SendTextMessage"))
                .willReturn(AwsLocalResource.endUserMessagingError("ThrottlingException", null))
                .willSetStateTo("answered"));
        Response r = post(Seed.request());
        r.then().statusCode(200);
        List<JsonNode> sends = Recorded.endUserMessaging(aws, "SendTextMessage");
        assertEquals(2, sends.size(), "the throttled attempt, then the SDK's retry");
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        String code = Recorded.code(sends.get(1).path("MessageBody").asText(), 6);
        assertEquals(code, Recorded.code(sends.get(0).path("MessageBody").asText(), 6), "the same code, sent once");
        Flows.validate(transactionId, "967", code).then().statusCode(200);
    }

    /** The figures of docs/delivery.md: round trips asserted, times printed only. */
    @Test
    void roundTripsOfAGenerateAndAValidateWithEndUserMessaging() {
        dev.otpgate.support.Measured.Pair calls = dev.otpgate.support.Measured.pairs("end-user-messaging", aws, data, 25,
                "SendTextMessage");
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems", "EndUserMessaging.SendTextMessage",
                "DynamoDb.UpdateItem"), calls.generate());
        assertTrue(calls.validate().containsAll(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems"))
                && calls.validate().size() <= 3, "the feedback, if it finished in time, is the third: " + calls.validate());
    }

    private List<JsonNode> awaitFeedback(int count) throws InterruptedException {
        // The report follows the validation's write; "within a few seconds" is the requirement, not a speed bound.
        for (int i = 0; i < 100; i++) {
            List<JsonNode> got = Recorded.endUserMessaging(aws, "PutMessageFeedback");
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(50);
        }
        return Recorded.endUserMessaging(aws, "PutMessageFeedback");
    }
}
