package dev.otpgate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** ADM_GenerateOTP through the Lambda mock event server, DynamoDB Local and the recorded SNS. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class GenerateOtpTest extends FunctionTest {

    /** A UUID string, version 8 (RFC 9562): its first 8 hex digits name the region that issued it (otp/HomeRegion). */
    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void seedRequestVerbatimGetsTheSeedResponseShape() {
        Response r = post(Seed.request());
        r.then().statusCode(200).contentType("application/json");
        JsonNode body = Seed.tree(r.asString());
        assertEquals(List.of(), Seed.shapeDifferences(body, Seed.response()));
        assertEquals("", body.get("Errors").asText());
        assertEquals("", body.get("Message").asText());
        assertEquals("", body.get("Output").asText());
        assertTrue(body.get("TokenID").asText().matches("[0-9A-F]{128,}"), "a long uppercase hex TokenID, as in the seed");
        assertEquals(0, body.get("OrgID").asInt());
        assertEquals(0, body.get("OutputID").asInt());
        assertTrue(body.get("Input").isNull());
        JsonNode item = body.at("/OutputObject/OTP_Communication/0");
        assertTrue(item.get("TransactionID").asText().matches(UUID));
        assertEquals("password", item.get("AuthenticationType").asText());
        assertEquals("OTP sent to ********4219", item.get("Message").asText());
    }

    @Test
    void smsCarriesTheCodeToTheUsersNumberAsTransactional() {
        String transactionId = transactionId(post(Seed.request()));
        List<Map<String, String>> publishes = Recorded.calls(aws, "Publish");
        assertEquals(1, publishes.size());
        Map<String, String> publish = publishes.get(0);
        assertEquals("+14155554219", publish.get("PhoneNumber"));
        assertEquals("AWS.SNS.SMS.SMSType", publish.get("MessageAttributes.entry.1.Name"));
        assertEquals("Transactional", publish.get("MessageAttributes.entry.1.Value.StringValue"));
        String code = Recorded.code(publish.get("Message"), 6);
        assertTrue(publish.get("Message").contains("5 minutes"));

        Map<String, AttributeValue> stored = data.transaction(transactionId);
        String hash = stored.get("CodeHash").s();
        assertFalse(stored.toString().contains(code), "the code itself must not be stored");
        assertEquals(hmac("dGVzdCBobWFjIGtleSAtIG5vdCBhIHNlY3JldCAtIDAx", transactionId + ":" + code), hash);
        long created = Long.parseLong(stored.get("CreatedAt").n());
        assertEquals(created + 300, Long.parseLong(stored.get("ExpiresAt").n()), "TTL = creation + validity");
        assertEquals("PENDING", stored.get("State").s());
        assertEquals("967", stored.get("LoginUID").s());
        assertEquals("SMS", stored.get("Channel").s());
    }

    @Test
    void happyPathMakesOneReadOneWriteOneSendApartFromAuthenticatingTheCaller() {
        post(Seed.request()).then().statusCode(200);
        // the write is one TransactWriteItems: limits counted, older code replaced, transaction stored
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems", "Sns.Publish"),
                AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS));
        // FORM: the caller, its source's record and its ceiling read at once; the attempt counted in both limit items
        // in one transaction; then, the password right, the source's record replaced by its last login and the
        // attempt given back in one transaction. Three round trips, none a write to the (global) callers table.
        assertEquals(List.of("DynamoDb.BatchGetItem otp-callers authfail", "DynamoDb.TransactWriteItems authfail",
                "DynamoDb.TransactWriteItems authfail",
                "DynamoDb.GetItem otp-users", "DynamoDb.TransactWriteItems", "Sns.Publish"),
                AwsCallCounter.callsWithTables());
    }

    @Test
    void idsAreAcceptedAsStringsAsWellAsNumbers() {
        post(Seed.requestWith(u -> u.put("DomainId", "1").put("UserID", "967").put("LoginUID", "967")))
                .then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].TransactionID", matchesPattern(UUID));
    }

    @Test
    void unknownUserAndWrongNameGetTheSameAnswerAndNothingHappens() {
        Response unknown = post(Seed.requestWith(u -> u.put("UserID", 968)));
        Response wrongName = post(Seed.requestWith(u -> u.put("UserName", "abcx")));
        unknown.then().statusCode(404);
        wrongName.then().statusCode(404);
        assertEquals(unknown.asString(), wrongName.asString());
        assertEquals("No user matches DomainId, UserID and UserName", unknown.path("Errors"));
        assertEquals(0, Recorded.all(aws));
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.GetItem"),
                AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS));
    }

    @Test
    void aUserWithoutAMobileNumberGetsAClearErrorAndNothingIsStoredOrSent() {
        data.user("1", "970", "nomobile", null, "nm@example.com");
        int before = data.transactionCount();
        post(Seed.requestWith(u -> u.put("UserID", 970).put("UserName", "nomobile")))
                .then().statusCode(422).body("Errors", equalTo("The user has no mobile number to send the OTP to"));
        assertEquals(before, data.transactionCount());
        assertEquals(0, Recorded.all(aws));
    }

    @Test
    void aFailedSendIsReportedAndLeavesNoUsableTransaction() {
        AwsLocalResource.stubProvidersDown(aws);
        int before = data.transactionCount();
        Response r = post(Seed.request());
        r.then().statusCode(502).body("Errors", equalTo("The OTP could not be delivered; try again later"));
        assertEquals(before + 1, data.transactionCount(), "the record written before the send stays, unusable");
        String latest = AwsCallCounter.calls().toString();
        assertTrue(latest.contains("DynamoDb.UpdateItem"), latest);
        assertEquals(1, Recorded.calls(aws, "Publish").size());
    }

    static Response post(String body) {
        return given().contentType("application/json").body(body).post(SummitEndpoint.PATH);
    }

    static String transactionId(Response r) {
        r.then().statusCode(200);
        return r.path("OutputObject.OTP_Communication[0].TransactionID");
    }

    static String hmac(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(key), "HmacSHA256")); // the key is base64
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
