package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
import dev.otpgate.support.FunctionTest;
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
class DynamoDbOutageTest extends FunctionTest {

    /** The proxy and the black hole; a function timeout of 8 s, so the request deadline is easy to reach. */
    public static class Outage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 8 s - 0.5 s margin - (3 x 1 s write + 0.12 s pauses + 2 s send + 1 s undelivered mark) = 1.38 s
            // of the request may be spent before the write starts.
            return Map.of("otp.deadline.function-timeout", "PT8S");
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
    static final long WELL_INSIDE = 5_000;

    @DynamoProxyResource.DynamoProxy
    WireMockServer dynamo;

    @DynamoProxyResource.DynamoProxy
    String dynamoLocal;

    @DynamoProxyResource.SnsBlackHole
    Stalls.BlackHole sns;

    @BeforeEach
    @org.junit.jupiter.api.AfterEach
    void allThroughToDynamoDbLocal() {
        DynamoProxyResource.passThrough(dynamo, dynamoLocal);
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

    /** Slow but not failing calls before the write: the generate must not start a write and a send it cannot finish. */
    @Test
    void aRequestWithTooLittleTimeLeftDoesNotStartTheWriteAndTheSend() {
        // the two UpdateItem of the FORM login and the GetItem of the user, 0.8 s each: 2.4 s > 1.38 s (the login's
        // own TransactWriteItems, which forgets the source's record after the right password, is not the write)
        on("DynamoDB_20120810.UpdateItem", aResponse().proxiedFrom(dynamoLocal).withFixedDelay(800));
        on("DynamoDB_20120810.GetItem", aResponse().proxiedFrom(dynamoLocal).withFixedDelay(800));
        int connections = sns.connections();
        try (CallLines lines = CallLines.capture()) {
            Response r = timed("slow login and directory read", Seed.request());
            assertUnavailable(r, lines.last());
        }
        assertTrue(dynamo.findAll(postRequestedFor(anyUrl()).withHeader(TARGET, equalTo(TRANSACT_WRITE))).stream()
                .allMatch(w -> w.getBodyAsString().contains("authfail#")), "no write was started");
        assertEquals(connections, sns.connections(), "nothing was sent");
    }

    @Test
    void anSnsThatAcceptsAndNeverAnswersGets502AndAnUnusableTransaction() {
        try (CallLines lines = CallLines.capture()) {
            Response r = timed("SNS black hole", Seed.request());
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
        String all = String.join("\n", logged.messages);
        assertTrue(all.contains(transactionId) && all.contains("undelivered"), all);
        assertTrue(all.contains("********4219"), "the destination, masked: " + all);
        assertFalse(all.contains("4155554219"), "never the destination unmasked: " + all);
    }

    private void on(String target, ResponseDefinitionBuilder answer) {
        MappingBuilder stub = post(anyUrl()).atPriority(1).withHeader(TARGET, equalTo(target));
        if (TRANSACT_WRITE.equals(target)) { // the use case's write, not the FORM login's (its source's record)
            stub = stub.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("authfail#"));
        }
        dynamo.stubFor(stub.willReturn(answer));
    }

    private static Response timed(String what, String body) {
        long start = System.nanoTime();
        Response r = Flows.post(body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[measured] " + what + " answered " + r.statusCode() + " in " + millis + " ms");
        assertTrue(millis < WELL_INSIDE, what + ": answered in " + millis + " ms, not well inside the 10 s Lambda timeout");
        return r;
    }

    private static void assertUnavailable(Response r, JsonNode line) {
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

    /** The formatted messages of one logger, while attached. */
    static final class Logged extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final String name;

        private Logged(String name) {
            this.name = name;
        }

        static Logged on(String name) {
            Logged l = new Logged(name);
            Logger.getLogger(name).addHandler(l);
            return l;
        }

        @Override
        public void publish(LogRecord record) {
            messages.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger(name).removeHandler(this);
        }
    }
}
