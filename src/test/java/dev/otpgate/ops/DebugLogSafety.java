package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Audit defect 1: at DEBUG the AWS SDK's signer logged the canonical request, whose last line is the
 * SHA-256 of the body; an SNS or SES body holds the destination and the code, so a million hashes gave
 * the code. Here every category is at DEBUG (the SDK's and the HTTP client's explicitly too) and every
 * line goes to a file handler configured like the console: after a generate and a validation, no line
 * may hold the code, the hash of a body the SDK sent, a canonical request, signing material or the
 * caller's password. One subclass per channel (SMS, e-mail).
 */
abstract class DebugLogSafety extends FunctionTest {

    /** Every category at DEBUG, all of it written to {@code log}; {@code channel} SMS or EMAIL. */
    static Map<String, String> everythingAtDebug(Path log, String channel) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("otp.channel", channel);
        config.put("quarkus.log.level", "DEBUG");
        for (String category : AT_DEBUG) {
            config.put("quarkus.log.category.\"" + category + "\".level", "DEBUG");
        }
        for (String category : KEPT_AT_INFO) {
            config.put("quarkus.log.category.\"" + category + "\".level", "INFO");
        }
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", log.toString());
        config.put("quarkus.log.file.level", "ALL");
        // The DEBUG lines go to the file the test reads, not to the console: there they were thousands of lines of
        // the build's and the class loaders' in the CI log (issue 16, finding 10).
        config.put("quarkus.log.console.level", "INFO");
        // Writing every line slows the first calls of a busy machine past the request path's timeouts (DynamoDB's
        // 1 s: a 503, not the code this test reads). The timeouts and the deadline have their own tests
        // (DynamoDbOutageTest, StalledSendTest, RequestDeadlineTest); here they only have to let the calls through.
        for (String client : List.of("dynamodb", "sns", "ses")) {
            for (String key : List.of("sync-client.socket-timeout", "api-call-attempt-timeout", "api-call-timeout")) {
                config.put("quarkus." + client + "." + key, "10S");
            }
        }
        config.put("otp.deadline.function-timeout", "PT60S");
        return config;
    }

    /** The %test profile (application.properties) names these at INFO, so every other test application resets them. */
    static final List<String> AT_DEBUG = List.of("software.amazon.awssdk", "software.amazon.awssdk.request",
            "sun.net.www", "io.quarkus", "io.vertx", "dev.otpgate");

    /**
     * The test's own parts, not the function's: RestAssured's client (it logs the request it posts, the caller's
     * password included), WireMock's Jetty (it stands in for SNS/SES), and the build of the test application and
     * its class loaders (they run before the function and in no request; at DEBUG, 2,000 lines per test class).
     */
    static final List<String> KEPT_AT_INFO = List.of("io.restassured", "org.apache.http", "org.eclipse.jetty",
            "com.github.tomakehurst", "wiremock", "io.quarkus.deployment", "io.quarkus.arc.processor",
            "io.quarkus.arc.deployment", "io.quarkus.bootstrap");

    abstract Path log();

    /** Generates for the seed's user; answers the code the recorded SNS/SES request carried. */
    abstract String generateAndReadCode();

    @Test
    void noLineHoldsACodeABodyHashOrSigningMaterial() throws IOException {
        String code = generateAndReadCode();
        Flows.validate(lastTransactionId, "967", code).then().statusCode(200);

        List<String> secrets = new ArrayList<>(List.of(code, "XXXX@123"));
        aws.getAllServeEvents().forEach(e -> secrets.add(sha256(e.getRequest().getBodyAsString())));
        String log = Files.readString(log(), StandardCharsets.UTF_8);
        assertTrue(log.lines().filter(l -> l.contains("DEBUG")).count() > 50, "the run really logged at DEBUG");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "the log holds " + secret);
        }
        for (String material : List.of("Canonical Request", "String to sign", "AWS4-HMAC-SHA256", "Security-Token")) {
            assertFalse(log.contains(material), "the log holds signing material: " + material);
        }
        assertFalse(log.contains("4155554219"), "the phone number was logged");
        assertFalse(log.contains("abcd@example.com"), "the e-mail address was logged");
    }

    /** The TransactionID of the last {@link #post()}. */
    String lastTransactionId;

    /** The seed's generate request, through the function. */
    void post() {
        io.restassured.response.Response r = Flows.post(Seed.request());
        r.then().statusCode(200);
        lastTransactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Profiles must be public classes with a no-argument constructor. */
    public static class SmsAtDebug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return everythingAtDebug(DebugLogSafetySmsTest.LOG, "SMS");
        }
    }

    public static class EmailAtDebug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return everythingAtDebug(DebugLogSafetyEmailTest.LOG, "EMAIL");
        }
    }
}
