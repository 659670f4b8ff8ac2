package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The console handlers as the packaged function has them (the JSON console format is on in prod and it, off in
 * test): SecretSafeLogFilter still drops what it names on the JSON console handler, a stack trace and the request
 * id are inside the JSON line, and the call handler ("calls") still prints the call line as it is (RawCallLines).
 * JsonLogIT checks the same on the packaged function's output.
 */
@QuarkusTest
@TestProfile(JsonConsoleTest.JsonOn.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class JsonConsoleTest {

    public static class JsonOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the call lines on the console, as in prod (the test profile writes them to a file)
            return Map.of("quarkus.log.console.json.enabled", "true",
                    "quarkus.log.category.\"otp-gate.calls\".handlers", "calls");
        }
    }

    @Test
    void theJsonConsoleHandlerStillDropsWhatSecretSafeLogFilterNames() throws Exception {
        Handler console = only(consoleHandlers(Logger.getLogger("")));
        assertTrue(console.getFormatter() instanceof StructuredFormatter, "the JSON format: " + console.getFormatter());

        assertFalse(console.isLoggable(record(Level.INFO, "dev.otpgate.otp.GenerateOtp",
                "Canonical Request:\nPOST\n/\n\nhost:sns.us-east-1.amazonaws.com")), "signing material is dropped");
        assertFalse(console.isLoggable(record(Level.DEBUG, "software.amazon.awssdk.request", "Sending Request")),
                "the SDK's DEBUG lines are dropped");

        ExtLogRecord warning = record(Level.WARN, "dev.otpgate.otp.GenerateOtp", "OTP delivery failed");
        warning.setThrown(new IllegalStateException("boom"));
        warning.setMdc(Map.of(RequestIdLog.KEY, "c0ffee-42"));
        assertTrue(console.isLoggable(warning));
        String printed = console.getFormatter().format(warning);
        assertEquals(1, printed.split("\n", -1).length - 1, "one line: " + printed);
        JsonNode line = Seed.tree(printed);
        assertEquals("WARN", line.get("level").asText());
        assertEquals("OTP delivery failed", line.get("message").asText());
        assertEquals("c0ffee-42", line.path("mdc").path(RequestIdLog.KEY).asText());
        assertTrue(line.get("stackTrace").asText().contains("IllegalStateException: boom\n\tat "), printed);
    }

    @Test
    void theCallHandlerPrintsTheCallLineAsItIs() {
        Handler calls = only(consoleHandlers(Logger.getLogger(CallLog.CATEGORY)));
        String emf = "{\"Function\":\"otp-gate\",\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]}}";
        ExtLogRecord record = record(Level.INFO, CallLog.CATEGORY, emf);
        assertTrue(calls.isLoggable(record));
        assertEquals(emf + System.lineSeparator(), calls.getFormatter().format(record));
        assertFalse(calls.isLoggable(record(Level.INFO, CallLog.CATEGORY, "X-Amz-Security-Token: abc")),
                "SecretSafeLogFilter on the call handler too");
    }

    private static ExtLogRecord record(java.util.logging.Level level, String category, String message) {
        ExtLogRecord record = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.NO_FORMAT, JsonConsoleTest.class.getName());
        record.setLoggerName(category);
        return record;
    }

    /** The console handlers a logger writes to, inside the delayed or async handlers that may wrap them. */
    private static List<Handler> consoleHandlers(Logger logger) {
        List<Handler> found = new ArrayList<>();
        for (Handler h : logger.getHandlers()) {
            collect(h, found);
        }
        return found;
    }

    private static void collect(Handler handler, List<Handler> found) {
        if (handler instanceof ConsoleHandler) {
            found.add(handler);
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler nested : ext.getHandlers()) {
                collect(nested, found);
            }
        }
    }

    private static Handler only(List<Handler> handlers) {
        assertEquals(1, handlers.size(), handlers.toString());
        return handlers.get(0);
    }
}
