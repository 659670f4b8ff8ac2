package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The per-call JSON line through the whole function: its fields, its metrics, and what it must never hold. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class CallLogTest extends FunctionTest {

    final Lines lines = new Lines();

    @BeforeEach
    void capture() {
        Logger.getLogger(CallLog.CATEGORY).addHandler(lines);
        if (packaged()) { // another process: its call lines are in a file (profile "it", application.properties)
            lines.output = java.nio.file.Path.of("target", "quarkus-calls.log");
            lines.from = lines.output.toFile().length();
        }
    }

    @AfterEach
    void release() {
        Logger.getLogger(CallLog.CATEGORY).removeHandler(lines);
    }

    static final String AGENT = "OtpGateTest/1.0 (" + "x".repeat(150) + ")";

    @Test
    void aSentCodeIsOneLineWithIdsOutcomeLatencyAndTheCodesSentMetric() {
        io.restassured.RestAssured.given().contentType("application/json").header("User-Agent", AGENT)
                .body(Seed.request()).post(dev.otpgate.api.SummitEndpoint.PATH).then().statusCode(200);

        JsonNode line = lines.only();
        assertEquals("ADM_GenerateOTP", line.get("serviceName").asText());
        assertEquals("ok", line.get("outcome").asText());
        assertEquals(200, line.get("status").asInt());
        assertTrue(line.get("latencyMs").isIntegralNumber() && line.get("latencyMs").asLong() >= 0, line.toString());
        assertTrue(line.get("requestId").asText().length() > 8, "the Lambda request id: " + line);
        assertEquals("otp-gate", line.get(CallMetrics.FUNCTION).asText());
        assertEquals(1, line.get(CallMetrics.CODES_SENT).asInt());
        assertEquals(0, line.get(CallMetrics.DELIVERY_FAILURES).asInt());
        assertEquals("SMS", line.get(CallMetrics.CHANNEL).asText());
        assertEquals("US", line.get(CallMetrics.COUNTRY).asText(), "the number's country, never the number");
        assertEquals(0, line.get(CallMetrics.VERIFIED).asInt(), "a code sent: the conversion's 0");
        assertEquals("1", line.get("org").asText());
        assertEquals("go***@su***.com", line.get("caller").asText(), "the caller's name, masked as an e-mail address");
        assertEquals("FORM", line.get("authType").asText());
        assertEquals(AGENT.substring(0, 120), line.get("userAgent").asText(), "the User-Agent, cut at 120 characters");
        assertEquals("ADM_GenerateOTP", line.get(CallMetrics.SERVICE_NAME).asText());
        assertTrue(line.get(CallMetrics.LATENCY).isIntegralNumber(), line.toString());
        assertEquals(List.of(List.of(CallMetrics.FUNCTION, CallMetrics.CHANNEL),
                List.of(CallMetrics.FUNCTION, CallMetrics.CHANNEL, CallMetrics.COUNTRY),
                List.of(CallMetrics.FUNCTION, CallMetrics.COUNTRY),
                List.of(CallMetrics.FUNCTION, CallMetrics.SERVICE_NAME)), dimensionSets(line));
        assertValidEmf(line);
        assertEquals("Milliseconds", unitOf(line, CallMetrics.LATENCY));

        String code = Recorded.code(Recorded.calls(aws, "Publish").get(0).get("Message"), 6);
        String text = line.toString();
        assertFalse(text.contains(code), "the code must never be logged: " + text);
        assertFalse(text.contains("4155554219"), "nor the phone number");
        assertFalse(text.contains("XXXX@123"), "nor the caller's password");
        assertFalse(text.contains("dGVzdCBobWFjIGtleSAtIG5vdCBhIHNlY3JldCAtIDAx"), "nor the key");
    }

    @Test
    void aFailedDeliveryCountsAsADeliveryFailure() {
        AwsLocalResource.stubProvidersDown(aws);
        Flows.post(Seed.request()).then().statusCode(502);

        JsonNode line = lines.only();
        assertEquals("delivery_failed", line.get("outcome").asText());
        assertEquals(502, line.get("status").asInt());
        assertEquals(0, line.get(CallMetrics.CODES_SENT).asInt());
        assertEquals(1, line.get(CallMetrics.DELIVERY_FAILURES).asInt());
        assertValidEmf(line);
    }

    @Test
    void aRefusedRequestIsLoggedWithoutDeliveryMetrics() {
        Flows.post(Seed.requestWith(u -> u.put("UserID", 968))).then().statusCode(404);
        Flows.post("{not json").then().statusCode(400);
        Flows.post(Seed.edit(root -> root.put("ServiceName", "+14155554219 123456"))).then().statusCode(400);

        List<JsonNode> all = lines.all();
        assertEquals(3, all.size(), all.toString());
        assertEquals("other", all.get(2).get("serviceName").asText(), "a caller's free text is never logged");
        assertFalse(all.get(2).toString().contains("4155554219"));
        assertEquals("not_found", all.get(0).get("outcome").asText());
        assertEquals("ADM_GenerateOTP", all.get(0).get("serviceName").asText());
        assertEquals("bad_request", all.get(1).get("outcome").asText());
        assertTrue(all.get(1).get("serviceName").isNull(), "no ServiceName could be read");
        for (JsonNode line : all) {
            assertFalse(line.has(CallMetrics.CODES_SENT), line.toString());
            assertFalse(line.has(CallMetrics.DELIVERY_FAILURES), line.toString());
            assertEquals(List.of(List.of(CallMetrics.FUNCTION, CallMetrics.SERVICE_NAME)), dimensionSets(line),
                    "only the latency: " + line);
            assertValidEmf(line);
        }
        assertEquals("none", all.get(1).get(CallMetrics.SERVICE_NAME).asText());
        assertEquals("other", all.get(2).get(CallMetrics.SERVICE_NAME).asText());
    }

    @Test
    void validationsAreCountedByOutcomeAndTheTypedCodeIsNeverLogged() {
        Flows.Issued issued = Flows.generate(aws);
        Flows.validate(issued.transactionId(), "967", Flows.wrong(issued.code())).then().statusCode(400);
        Flows.validate(issued.transactionId(), "967", issued.code()).then().statusCode(200);

        List<JsonNode> all = lines.all();
        assertEquals(3, all.size(), all.toString());
        JsonNode wrong = all.get(1);
        JsonNode right = all.get(2);
        assertEquals("ADM_ValidateOTP", right.get("serviceName").asText());
        assertEquals("ok", right.get(CallMetrics.OUTCOME).asText());
        assertEquals(1, right.get(CallMetrics.VALIDATIONS).asInt());
        assertEquals("wrong_code", wrong.get("outcome").asText());
        assertEquals("wrong_code", wrong.get(CallMetrics.OUTCOME).asText());
        assertEquals(1, right.get(CallMetrics.VERIFIED).asInt(), "a code validated: the conversion's 1");
        assertFalse(wrong.has(CallMetrics.VERIFIED), wrong.toString());
        assertEquals(List.of(List.of(CallMetrics.FUNCTION, CallMetrics.OUTCOME),
                List.of(CallMetrics.FUNCTION, CallMetrics.COUNTRY),
                List.of(CallMetrics.FUNCTION, CallMetrics.SERVICE_NAME)), dimensionSets(right));
        for (JsonNode line : List.of(wrong, right)) {
            assertEquals("US", line.get(CallMetrics.COUNTRY).asText(), "the country stored with the code: " + line);
            assertValidEmf(line);
            assertFalse(line.toString().contains(issued.code()), "the code must never be logged: " + line);
            assertFalse(line.toString().contains(Flows.wrong(issued.code())), "nor a guess: " + line);
        }
    }

    @Test
    void aSendRefusedByALimitCountsALimitHit() {
        Flows.generate(aws);
        Flows.post(Seed.request()).then().statusCode(429); // within the send cooldown

        JsonNode line = lines.all().get(1);
        assertEquals("send_limit", line.get("outcome").asText());
        assertEquals(1, line.get(CallMetrics.LIMITS_HIT).asInt());
        assertFalse(line.has(CallMetrics.CODES_SENT), "nothing was sent: " + line);
        assertEquals("send_limit", line.get(CallMetrics.OUTCOME).asText());
        assertEquals(List.of(List.of(CallMetrics.FUNCTION), List.of(CallMetrics.FUNCTION, CallMetrics.OUTCOME),
                List.of(CallMetrics.FUNCTION, CallMetrics.SERVICE_NAME)), dimensionSets(line));
        assertValidEmf(line);
    }

    /**
     * Issue 12: every line of a generate, a wrong and a right validation, a call with the TokenID and a wrong password
     * carries the audit fields where known, and none holds the code, the guess, the number, the caller's login (an
     * e-mail address), the password or the token. A refused login's name is not logged: it may be a password.
     */
    @Test
    void theAuditFieldsAreOnEveryLineAndNoSecretOrDestinationIs() {
        io.restassured.response.Response sent = Flows.post(Seed.request());
        sent.then().statusCode(200);
        String token = sent.path("TokenID");
        String code = Recorded.code(Recorded.calls(aws, "Publish").get(0).get("Message"), 6);
        String transaction = sent.path("OutputObject.OTP_Communication[0].TransactionID");
        Flows.validate(transaction, "967", Flows.wrong(code)).then().statusCode(400);
        Flows.post(Seed.edit(root -> {
            root.put("ServiceName", "ADM_ValidateOTP");
            com.fasterxml.jackson.databind.node.ObjectNode proxy = root.with("objCommonParameters").with("_ProxyDetails");
            proxy.put("TokenID", token).put("Password", "").put("AuthType", "");
            root.with("objCommonParameters").replace("objUserInformation", Seed.JSON.createObjectNode()
                    .put("OTP_Text", code).put("TransactionID", transaction).put("LoginUID", "967"));
        })).then().statusCode(200);
        Flows.post(Seed.edit(root -> root.with("objCommonParameters").with("_ProxyDetails")
                .put("Password", "Wrong-Pa55word").put("UserName", "s3cret-typed-in-the-name-field"))).then().statusCode(401);

        List<JsonNode> all = lines.all();
        assertEquals(4, all.size(), all.toString());
        assertEquals(List.of("FORM", "FORM", "TOKEN", "FORM"), all.stream().map(l -> l.get("authType").asText()).toList());
        for (JsonNode line : all.subList(0, 3)) {
            assertEquals("go***@su***.com", line.get("caller").asText(), line.toString());
            assertEquals("1", line.get("org").asText(), line.toString());
            assertEquals("US", line.get(CallMetrics.COUNTRY).asText(), line.toString());
        }
        JsonNode refused = all.get(3);
        assertEquals("unauthorized", refused.get("outcome").asText());
        assertTrue(refused.get("caller").isNull(), "no name before it is proven: " + refused);
        assertTrue(refused.get("org").isNull(), refused.toString());
        for (JsonNode line : all) {
            assertTrue(line.get("sourceIp").isTextual(), line.toString());
            assertValidEmf(line);
            String text = line.toString();
            for (String secret : List.of(code, Flows.wrong(code), "4155554219", "google@sum.com", "XXXX@123",
                    "Wrong-Pa55word", "s3cret-typed-in-the-name-field", token)) {
                assertFalse(text.contains(secret), "never in a call line: " + secret + " in " + text);
            }
        }
    }

    static String unitOf(JsonNode line, String metric) {
        for (JsonNode d : line.get("_aws").get("CloudWatchMetrics")) {
            for (JsonNode m : d.get("Metrics")) {
                if (metric.equals(m.get("Name").asText())) {
                    return m.get("Unit").asText();
                }
            }
        }
        return null;
    }

    @Test
    void outcomesWithoutAFailureComeFromTheStatus() {
        assertEquals("ok", CallLog.outcome(200, null));
        assertEquals("rejected", CallLog.outcome(405, null));
        assertEquals("internal", CallLog.outcome(500, null));
    }

    /** Every metric a directive names is a number on the line, every dimension a string (CloudWatch drops it otherwise). */
    static void assertValidEmf(JsonNode line) {
        JsonNode aws = line.get("_aws");
        assertTrue(aws.get("Timestamp").isIntegralNumber(), line.toString());
        for (JsonNode d : aws.get("CloudWatchMetrics")) {
            assertEquals(CallMetrics.NAMESPACE, d.get("Namespace").asText());
            for (JsonNode set : d.get("Dimensions")) {
                for (JsonNode name : set) {
                    assertTrue(line.path(name.asText()).isTextual(), "dimension " + name + " in " + line);
                }
            }
            for (JsonNode m : d.get("Metrics")) {
                assertTrue(line.path(m.get("Name").asText()).isNumber(), "metric " + m + " in " + line);
            }
        }
    }

    static List<List<String>> dimensionSets(JsonNode line) {
        List<List<String>> sets = new ArrayList<>();
        for (JsonNode d : line.get("_aws").get("CloudWatchMetrics")) {
            for (JsonNode set : d.get("Dimensions")) {
                List<String> names = new ArrayList<>();
                set.forEach(n -> names.add(n.asText()));
                sets.add(names);
            }
        }
        return sets;
    }

    /** Collects what the call logger writes; each message must be a JSON object on one line. */
    static final class Lines extends Handler {
        private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            messages.add(record.getMessage());
        }

        /** The packaged function's output (target/quarkus.log) and where this test's part of it starts. */
        java.nio.file.Path output;
        long from;

        /** The call lines the packaged function printed since the test started: one JSON object per line. */
        private List<String> printed() {
            List<String> out = new ArrayList<>();
            try {
                Thread.sleep(300); // the function writes its line as it answers; let the file catch up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!output.toFile().exists()) {
                return out;
            }
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(output.toFile(), "r")) {
                file.seek(from > file.length() ? 0 : from);
                byte[] rest = new byte[(int) (file.length() - file.getFilePointer())];
                file.readFully(rest);
                for (String l : new String(rest, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    int json = l.indexOf("{\"");
                    if (json >= 0 && l.contains("\"serviceName\"")) {
                        out.add(l.substring(json));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out;
        }

        List<JsonNode> all() {
            List<JsonNode> out = new ArrayList<>();
            for (String m : output == null ? messages : printed()) {
                assertFalse(m.contains("\n"), "one line per call: " + m);
                out.add(Seed.tree(m));
            }
            return out;
        }

        JsonNode only() {
            List<JsonNode> all = all();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
