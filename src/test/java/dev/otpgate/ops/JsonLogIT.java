package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.LocalTables;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Seed;
import dev.otpgate.support.lambda.LambdaRuntimeLoop;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * What the packaged function prints, as Lambda would send it to CloudWatch (issue 12): its whole output
 * (target/quarkus.log, LambdaJarLauncher) is one JSON object per line, the stack trace of a bug inside its
 * line; every line a request writes carries that request's Lambda request id; and the per-call line is still
 * the raw EMF document, not wrapped in another object. Only the emulated runtime's own lines
 * (LAMBDA-RUNTIME-LOOP, what Lambda's platform lines are on AWS) are not the function's.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class JsonLogIT extends FunctionTest {

    static final Path OUTPUT = Path.of("target", "quarkus.log");

    @Test
    void everyLineIsJsonWithItsRequestIdAndTheCallLineStaysRawEmf() throws Exception {
        long from = Files.size(OUTPUT);

        Flows.post(Seed.request()).then().statusCode(200); // a sent code: an EMF call line
        data.clearLimits();
        AwsLocalResource.stubProvidersDown(aws);
        Flows.post(Seed.request()).then().statusCode(502); // a failed send: a WARN line, and an EMF call line
        AwsLocalResource.stubProvidersUp(aws);
        data.clearLimits();
        data.dynamo().deleteTable(r -> r.tableName(AwsLocalResource.USERS)); // a deployment bug: a missing table
        try {
            Flows.post(Seed.request()).then().statusCode(500); // an ERROR line with the stack trace
        } finally {
            LocalTables.create(data.dynamo(), TableSpec.all(TABLES));
            data.seedUser();
        }

        List<JsonNode> lines = linesFrom(from, 3);
        List<JsonNode> calls = lines.stream().filter(l -> l.has("serviceName")).toList();
        assertEquals(List.of(200, 502, 500), calls.stream().map(c -> c.get("status").asInt()).toList(), calls.toString());
        List<String> ids = calls.stream().map(c -> c.get("requestId").asText()).toList();
        assertEquals(3, Set.copyOf(ids).size(), "one Lambda request id per call: " + ids);

        for (JsonNode call : calls.subList(0, 2)) { // the raw EMF document, as CallLog wrote it
            assertTrue(call.has("_aws"), call.toString());
            CallLogTest.assertValidEmf(call);
            assertFalse(call.has("message") || call.has("level") || call.has("mdc"), "not wrapped: " + call);
        }

        JsonNode warning = only(lines, l -> "WARN".equals(l.path("level").asText())
                && l.path("message").asText().startsWith("OTP delivery by"));
        assertEquals(ids.get(1), warning.path("mdc").path("requestId").asText(), warning.toString());

        JsonNode error = only(lines, l -> "ERROR".equals(l.path("level").asText()));
        assertEquals("dev.otpgate.api.ErrorEnvelopes", error.path("loggerName").asText(), error.toString());
        assertEquals(ids.get(2), error.path("mdc").path("requestId").asText(), error.toString());
        String trace = error.path("stackTrace").asText();
        assertTrue(trace.contains("ResourceNotFoundException") && trace.contains("\n\tat "), "the stack trace: " + error);
        assertFalse(error.path("message").asText().contains("\n"), error.toString());

        for (JsonNode line : lines) { // every line of ours written during these requests names its request
            if (line.path("loggerName").asText().startsWith("dev.otpgate.")) {
                assertTrue(ids.contains(line.path("mdc").path("requestId").asText()), "no request id: " + line);
            }
        }
        assertNotEquals(ids.get(1), ids.get(2));
    }

    /** Every line the function printed since it started is one JSON object; the lines from {@code from} on. */
    private static List<JsonNode> linesFrom(long from, int calls) throws Exception {
        List<JsonNode> recent = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) { // the function writes the call line as it answers
            recent.clear();
            String all = Files.readString(OUTPUT, StandardCharsets.UTF_8);
            byte[] tail;
            try (RandomAccessFile file = new RandomAccessFile(OUTPUT.toFile(), "r")) {
                file.seek(from);
                tail = new byte[(int) (file.length() - from)];
                file.readFully(tail);
            }
            for (String line : all.split("\n")) {
                parse(line); // every line, the start included
            }
            for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                JsonNode node = parse(line);
                if (node != null) {
                    recent.add(node);
                }
            }
            if (recent.stream().filter(l -> l.has("serviceName")).count() >= calls) {
                return recent;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the call lines were not written: " + recent);
    }

    private static JsonNode parse(String line) {
        if (line.isBlank() || line.startsWith(LambdaRuntimeLoop.READY.split(" ")[0])) {
            return null; // the emulated runtime's own line (on Lambda: the platform's)
        }
        JsonNode node;
        try {
            node = Seed.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
        assertTrue(node != null && node.isObject(), "not a JSON object: " + line);
        assertFalse(CallLog.CATEGORY.equals(node.path("loggerName").asText()), "a call line wrapped in another: " + line);
        return node;
    }

    private static JsonNode only(List<JsonNode> lines, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = lines.stream().filter(which).toList();
        assertEquals(1, found.size(), lines.toString());
        return found.get(0);
    }

    static final OtpConfig.Tables TABLES = new OtpConfig.Tables() {
        @Override
        public String users() {
            return AwsLocalResource.USERS;
        }

        @Override
        public String transactions() {
            return AwsLocalResource.TRANSACTIONS;
        }

        @Override
        public String limits() {
            return AwsLocalResource.LIMITS;
        }

        @Override
        public String callers() {
            return AwsLocalResource.CALLERS;
        }

        @Override
        public String orgs() {
            return AwsLocalResource.ORGS;
        }
    };
}
