package dev.otpgate.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.ops.CallLog;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The events/ files that `sam local invoke -e` sends, handed to the function as raw API Gateway v2 events
 * (the Lambda mock event server's /_lambda_ route), exactly as Lambda hands them over.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class SampleEventsTest extends FunctionTest {

    @jakarta.inject.Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;

    @Test
    void theGenerateEventCarriesTheSeedRequestVerbatimAndIsAnswered() throws IOException {
        JsonNode event = event("generate.json");
        assertEquals(Seed.request(), event.get("body").asText(), "the body is the vendor's sample, byte for byte");
        assertEquals(SummitEndpoint.PATH, event.get("rawPath").asText());
        assertEquals("2.0", event.get("version").asText());

        StringBuilder logged = new StringBuilder();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.append(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(CallLog.CATEGORY).addHandler(capture);
        JsonNode answer;
        try {
            answer = invoke(event);
        } finally {
            Logger.getLogger(CallLog.CATEGORY).removeHandler(capture);
        }
        assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
        JsonNode body = Seed.tree(body(answer));
        assertEquals("OTP sent to ********4219", body.at("/OutputObject/OTP_Communication/0/Message").asText());
        assertTrue(logged.toString().contains("\"apiRequestId\":\"" + event.at("/requestContext/requestId").asText() + "\""),
                "the call line carries API Gateway's request id: " + logged);
    }

    @Test
    void theSecondOrganisationsEventSendsAnEmailInGermanAsTheLocalRunHasIt() throws IOException {
        JsonNode event = event("generate-org2.json");
        assertEquals(Seed.request().replace("\"OrgID\": \"1\"", "\"OrgID\": \"2\""), event.get("body").asText(),
                "the seed's request but for OrgID 2");
        // organisation 2 as the local run seeds it (LocalRun.seedSecondOrg)
        data.caller("2", "google@sum.com", "XXXX@123", null, java.util.Set.of("1"));
        data.callers().putUser("2#1", "967", "abcd", null, "abcd@beispiel.example", null, "de-DE");
        dev.otpgate.support.Operator.run(dynamo, "", "org", "put", "--org", "2", "--channel", "EMAIL");
        JsonNode answer = invoke(event);
        assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
        assertEquals("OTP sent to ab***@be***.example",
                Seed.tree(body(answer)).at("/OutputObject/OTP_Communication/0/Message").asText());
        String mail = dev.otpgate.support.Recorded.calls(aws, "SendEmail").get(0).get("Message.Body.Text.Data");
        assertTrue(mail.startsWith("Ihr Bestätigungscode lautet "), mail);
    }

    @Test
    void theValidateEventHasTheValidateShapeAndGetsAnEnvelope() throws IOException {
        JsonNode event = event("validate.json");
        JsonNode request = Seed.tree(event.get("body").asText());
        assertEquals("ADM_ValidateOTP", request.get("ServiceName").asText());
        JsonNode info = request.at("/objCommonParameters/objUserInformation");
        assertTrue(info.has("OTP_Text") && info.has("TransactionID") && info.has("LoginUID"), info.toString());

        JsonNode answer = invoke(event);
        int status = answer.get("statusCode").asInt();
        assertTrue(status >= 400 && status < 500, "no such transaction here: a refusal, not a crash: " + answer);
        assertFalse(Seed.tree(body(answer)).get("Errors").asText().isEmpty());
    }

    @Test
    void theBadRequestEventGetsA400Envelope() throws IOException {
        JsonNode answer = invoke(event("bad-request.json"));
        assertEquals(400, answer.get("statusCode").asInt());
        assertTrue(Seed.tree(body(answer)).get("Errors").asText().startsWith("Malformed JSON"), answer.toString());
    }

    static JsonNode event(String name) throws IOException {
        return Seed.tree(Files.readString(Path.of("events", name)));
    }

    /** Posts a raw event to the mock event server and answers the function's raw response event. */
    static JsonNode invoke(JsonNode event) {
        return Seed.tree(given().contentType("application/json").body(event.toString()).post("/_lambda_").asString());
    }

    static String body(JsonNode answer) {
        String body = answer.get("body").asText();
        return answer.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
                : body;
    }
}
