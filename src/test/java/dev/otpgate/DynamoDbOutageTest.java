package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import dev.otpgate.ops.CallMetrics;
import dev.otpgate.otp.GenerateOtp;
import dev.otpgate.support.CallLines;
import dev.otpgate.support.DynamoProxyResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Logged;
import dev.otpgate.support.DynamoProxyTest;
import dev.otpgate.support.Seed;
import dev.otpgate.support.Stalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * DynamoDB that stalls or throttles, and an SNS that accepts the connection and never answers (audit issue 8,
 * defect 3), through the whole function: a WireMock proxy in front of DynamoDB Local passes every request on
 * unless a test stubs the call it is about. Each case must be answered with the envelope, with the right
 * status, well inside the Lambda timeout (10 s): 503 with Retry-After when DynamoDB cannot take the request
 * (nothing was sent), 502 when the send failed.
 */
@QuarkusTest
@TestProfile(DynamoDbOutageTest.Outage.class)
class DynamoDbOutageTest extends DynamoProxyTest {

    /**
     * The proxy and the black hole, with the function's real timeout: a shorter one (the 8 s of
     * {@link RequestDeadlineTest}) left a cold first call on a busy machine 1.38 s before the write, and the
     * black hole's test answered 503 instead of 502 (issue 16, finding 9).
     */
    public static class Outage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Longer than the real 10 s, never shorter: even warmed up, a first call on a machine at load 14 spent
            // more than 3.38 s before the write (503, not the 502 under test). 15 s: 8.38 s before the write.
            return Map.of("otp.deadline.function-timeout", "PT15S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynamoProxyResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // AwsLocalResource is global (restrictToAnnotatedClass = false); this one replaces it
        }
    }

    static final String TARGET = "X-Amz-Target";
    static final String TRANSACT_WRITE = "DynamoDB_20120810.TransactWriteItems";
    static final String JSON_1_0 = "application/x-amz-json-1.0";


    private static boolean warm;

    /**
     * The first call of a freshly started application loads and compiles the login, the read and the envelope:
     * on a busy machine that took more than the 3.38 s the request deadline allows before the write, and the
     * black hole's test answered 503. One call for a user who does not exist warms that path and stops before
     * the write (nothing is sent to the black hole).
     */
    @BeforeEach
    void warmedUp() {
        if (!warm) {
            Flows.post(Seed.requestWith(u -> u.put("UserID", 999_999).put("LoginUID", 999_999)));
            warm = true;
        }
    }

    @Test
    void aStalledTransactWriteAnswers503WithRetryAfterAndSendsNothing() {
        on(TRANSACT_WRITE, aResponse().withStatus(200).withFixedDelay(Stalls.STALL_MILLIS).withBody("{}"));
        int connections = sns.connections();
        try (CallLines lines = CallLines.capture()) {
            Response r = timed("stalled TransactWriteItems", Seed.request());
            assertUnavailable(r, lines.last());
        }
        assertEquals(connections, sns.connections(), "nothing was sent");
    }

    @Test
    void throttlingAnswers503WithRetryAfter() {
        for (String type : List.of("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", "com.amazon.coral.availability#ThrottlingException")) {
            DynamoProxyResource.passThrough(dynamo, dynamoLocal);
            data.clearLimits();
            on(TRANSACT_WRITE, aResponse().withStatus(400).withHeader("Content-Type", JSON_1_0)
                    .withBody("{\"__type\":\"" + type + "\",\"message\":\"Throughput exceeds the allowed rate.\"}"));
            try (CallLines lines = CallLines.capture()) {
                assertUnavailable(timed(type, Seed.request()), lines.last());
            }
        }
    }

    @Test
    void aTransactionCanceledForThrottlingAnswers503NotA500() {
        on(TRANSACT_WRITE, aResponse().withStatus(400).withHeader("Content-Type", JSON_1_0).withBody(
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                        + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons"
                        + " [None, ThrottlingError, None, None, None, None]\",\"CancellationReasons\":[{\"Code\":\"None\"},"
                        + "{\"Code\":\"ThrottlingError\",\"Message\":\"Throughput exceeds the current capacity of your"
                        + " table or index.\"},{\"Code\":\"None\"},{\"Code\":\"None\"},{\"Code\":\"None\"},{\"Code\":\"None\"}]}"));
        try (CallLines lines = CallLines.capture()) {
            assertUnavailable(timed("TransactionCanceled ThrottlingError", Seed.request()), lines.last());
        }
    }

    @Test
    void aStalledDirectoryReadAnswers503() {
        on("DynamoDB_20120810.GetItem", aResponse().withStatus(200).withFixedDelay(Stalls.STALL_MILLIS).withBody("{}"));
        try (CallLines lines = CallLines.capture()) {
            assertUnavailable(timed("stalled GetItem", Seed.request()), lines.last());
        }
    }

    @Test
    void anSnsThatAcceptsAndNeverAnswersGets502AndAnUnusableTransaction() {
        try (CallLines lines = CallLines.capture(); Logged logged = Logged.on(GenerateOtp.class.getName())) {
            Response r = timed("SNS black hole", Seed.request());
            assertTrue(logged.all().matches("(?s).*failed: ApiCall(Attempt)?TimeoutException.*"),
                    "the SDK's call timeout abandoned the send: " + logged.all());
            r.then().statusCode(502).body("Errors", org.hamcrest.Matchers.equalTo("The OTP could not be delivered; try again later"));
            JsonNode line = lines.last();
            assertEquals("delivery_failed", line.get("outcome").asText());
            assertEquals(1, line.get(CallMetrics.DELIVERY_FAILURES).asInt());
        }
        assertTrue(sns.connections() > 0, "the SDK did connect to the black hole");
        var stored = data.transaction(data.currentTransactionId("1", "967"));
        assertEquals("UNDELIVERED", stored.get("State").s());
        assertFalse(stored.containsKey("CodeHash"));
    }

    @Test
    void whenMarkingTheFailedSendUndeliveredAlsoFailsTheAnswerIsStillTheEnvelopeAndTheFailureIsLogged() {
        dynamo.stubFor(post(anyUrl()).atPriority(1).withHeader(TARGET, equalTo("DynamoDB_20120810.UpdateItem"))
                .withRequestBody(containing("otp-transactions"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(Stalls.STALL_MILLIS).withBody("{}")));
        Logged logged = Logged.on(GenerateOtp.class.getName());
        System.out.println("[expected] the ERROR \"... could not be marked undelivered\" that follows is this test's"
                + " outage (DynamoDbOutageTest): the function logs it as it would in production");
        try (CallLines lines = CallLines.capture()) {
            Response r = timed("SNS black hole, then a stalled UpdateItem", Seed.request());
            r.then().statusCode(502).contentType("application/json")
                    .body("Errors", org.hamcrest.Matchers.equalTo("The OTP could not be delivered; try again later"));
            assertEquals(1, lines.last().get(CallMetrics.DELIVERY_FAILURES).asInt());
        } finally {
            logged.close();
        }
        String transactionId = data.currentTransactionId("1", "967");
        assertNotNull(transactionId);
        String all = logged.all();
        assertTrue(all.contains(transactionId) && all.contains("undelivered"), all);
        assertTrue(all.contains("********4219"), "the destination, masked: " + all);
        assertFalse(all.contains("4155554219"), "never the destination unmasked: " + all);
    }

    private void on(String target, ResponseDefinitionBuilder answer) {
        on(dynamo, target, answer);
    }

    static void on(WireMockServer dynamo, String target, ResponseDefinitionBuilder answer) {
        MappingBuilder stub = post(anyUrl()).atPriority(1).withHeader(TARGET, equalTo(target));
        if (TRANSACT_WRITE.equals(target)) { // the use case's write, not the FORM login's (its source's record)
            stub = stub.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("authfail#"));
        }
        dynamo.stubFor(stub.willReturn(answer));
    }

    static Response timed(String what, String body) {
        long start = System.nanoTime();
        Response r = Flows.post(body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[measured] " + what + " answered " + r.statusCode() + " in " + millis + " ms");
        // No bound tighter than the real limit (the machine may be busy): the stalled dependency would have answered
        // after STALL_MILLIS (a stalled write's "{}" is a success, a stalled read's "{}" no user), so an answer before
        // it, with the status each test checks, is the client giving up on its own.
        assertTrue(millis < Stalls.STALL_MILLIS, what + ": answered in " + millis + " ms, after the stall ended");
        return r;
    }

    static void assertUnavailable(Response r, JsonNode line) {
        r.then().statusCode(503).contentType("application/json")
                .body("Errors", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("OutputObject", org.hamcrest.Matchers.nullValue())
                .body("TokenID", org.hamcrest.Matchers.equalTo(""));
        String retryAfter = r.header("Retry-After");
        assertNotNull(retryAfter, "503 carries Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 0, retryAfter);
        assertEquals("unavailable", line.get("outcome").asText(), line.toString());
        assertEquals(503, line.get("status").asInt());
        assertFalse(line.has(CallMetrics.DELIVERY_FAILURES), "nothing was sent, so no delivery failure: " + line);
    }
}
