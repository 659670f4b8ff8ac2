package dev.otpgate;

import static dev.otpgate.support.Flows.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FromSource;
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
 * The VOICE channel (otp.channels names it here; an organisation opts in with org put --channels SMS,VOICE,EMAIL): a
 * number that cannot take SMS gets one End User Messaging SendVoiceMessage reading the code, with SNS still the SMS
 * sender for mobiles.
 */
@QuarkusTest
@TestProfile(VoiceChannelTest.Voice.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class VoiceChannelTest extends FunctionTest {

    private static final String LONDON_LANDLINE = "+442079460958";
    private static final Pattern READ = Pattern.compile("<say-as interpret-as=\"characters\">(\\d{6})</say-as>");

    public static class Voice implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.channels", "SMS,VOICE,EMAIL",
                    // the test profile's countries, and GB for the London landline
                    "otp.sms.allowed-countries", "US,CA,DE,IT,ES,KE,PK,IN,BR,MX,ZA,EG,BD,ID,PH,VN,TH,TR,PL,NL,SE,JP,AU,AR,CO,GB",
                    "otp.end-user-messaging.voice-origination-identity", "+14255550199",
                    "otp.end-user-messaging.configuration-set", "otp-gate-test",
                    "otp.end-user-messaging.max-price-per-minute", "0.20");
        }
    }

    @Test
    void aLondonLandlineGetsOneCallReadingTheCodeDigitByDigitTwiceAndNoSms() throws InterruptedException {
        data.user("1", "990", "landline", LONDON_LANDLINE, null);
        Response r = post(Seed.requestWith(u -> u.put("UserID", 990).put("UserName", "landline")));
        r.then().statusCode(200);
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        assertEquals("OTP sent to ********0958", r.path("OutputObject.OTP_Communication[0].Message"));
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems", "EndUserMessaging.SendVoiceMessage",
                "DynamoDb.UpdateItem"), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS), "one call, no SMS");
        assertEquals(0, Recorded.calls(aws, "Publish").size());
        assertEquals(0, Recorded.endUserMessaging(aws, "SendTextMessage").size());

        List<JsonNode> calls = Recorded.endUserMessaging(aws, "SendVoiceMessage");
        assertEquals(1, calls.size());
        JsonNode call = calls.get(0);
        assertEquals(LONDON_LANDLINE, call.path("DestinationPhoneNumber").asText());
        assertEquals("+14255550199", call.path("OriginationIdentity").asText());
        assertEquals("SSML", call.path("MessageBodyTextType").asText());
        assertEquals("JOANNA", call.path("VoiceId").asText(), "English: the user and the organisation have no locale");
        assertEquals("0.20", call.path("MaxPricePerMinute").asText());
        assertEquals("otp-gate-test", call.path("ConfigurationSetName").asText());
        int ttl = call.path("TimeToLive").asInt();
        assertTrue(ttl >= 5 && ttl <= 300, "within the code's validity: " + ttl);
        assertEquals(Map.of("TransactionID", transactionId, "OrgID", "1"), Seed.JSON.convertValue(call.path("Context"), Map.class));
        String body = call.path("MessageBody").asText();
        Matcher read = READ.matcher(body);
        assertTrue(read.find(), body);
        String code = read.group(1);
        assertTrue(read.find() && read.group(1).equals(code), "read twice: " + body);
        assertFalse(call.path("Context").toString().contains(code));

        Map<String, AttributeValue> stored = data.transaction(transactionId);
        assertEquals("VOICE", stored.get("Channel").s());
        assertEquals("GB", stored.get("Country").s());
        assertEquals("SMS", stored.get("SentChannel").s(), "the fraud guard counts a call as an SMS");

        Flows.validate(transactionId, "967", code).then().statusCode(200);
        for (int i = 0; i < 100 && Recorded.endUserMessaging(aws, "PutMessageFeedback").isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(stored.get("MessageId").s(),
                Recorded.endUserMessaging(aws, "PutMessageFeedback").get(0).path("MessageId").asText(), "the call converted");
    }

    /** From an address the fraud guard watches: the call is counted as an SMS to GB, country counters included. */
    @Test
    void aCallCountsInTheFraudGuardAsAnSmsToItsCountry() {
        data.user("1", "992", "landline2", "+442079460959", null);
        FromSource.Answer answer = FromSource.post(Seed.requestWith(u -> u.put("UserID", 992).put("UserName", "landline2")),
                "198.51.100.92");
        assertEquals(200, answer.status(), answer.body());
        String transactionId = Seed.tree(answer.body()).path("OutputObject").path("OTP_Communication").get(0)
                .path("TransactionID").asText();
        Map<String, AttributeValue> stored = data.transaction(transactionId);
        assertEquals("VOICE", stored.get("Channel").s());
        assertEquals("SMS", stored.get("SentChannel").s());
        assertEquals("GB", stored.get("SentToCountry").s(), "the per-country counters count calls");
        assertTrue(stored.containsKey("SentFrom"), "and the source address's");
    }

    /** The figures of docs/delivery.md for the SNS sender (this profile's SMS sender): round trips asserted, times printed. */
    @Test
    void roundTripsOfAGenerateAndAValidateWithSns() {
        dev.otpgate.support.Measured.Pair calls = dev.otpgate.support.Measured.pairs("sns", aws, data, 25, "Publish");
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems", "Sns.Publish"), calls.generate());
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems"), calls.validate());
    }

    @Test
    void aMobileStillGetsAnSmsThroughTheSmsSender() {
        post(Seed.request()).then().statusCode(200);
        assertEquals(1, Recorded.calls(aws, "Publish").size());
        assertEquals(0, Recorded.endUserMessaging(aws, "SendVoiceMessage").size());
    }

    @Test
    void aUserWhoPrefersVoiceIsCalledInTheirLanguage() {
        data.dynamo().putItem(p -> p.tableName(AwsLocalResource.USERS).item(Map.of("DomainId", AttributeValue.fromS("1"),
                "UserID", AttributeValue.fromS("991"), "UserName", AttributeValue.fromS("caller"),
                "Mobile", AttributeValue.fromS("+4915123456789"), "Prefer", AttributeValue.fromS("VOICE"),
                "Locale", AttributeValue.fromS("de-DE"))));
        post(Seed.requestWith(u -> u.put("UserID", 991).put("UserName", "caller"))).then().statusCode(200);
        assertEquals(0, Recorded.calls(aws, "Publish").size(), "a mobile, but the user prefers a call");
        JsonNode call = Recorded.endUserMessaging(aws, "SendVoiceMessage").get(0);
        assertEquals("VICKI", call.path("VoiceId").asText());
        assertTrue(call.path("MessageBody").asText().contains("Ihr Bestätigungscode lautet"), call.toString());
    }
}
