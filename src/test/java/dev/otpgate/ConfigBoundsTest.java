package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.otpgate.auth.AuthConfig;
import dev.otpgate.auth.AuthPolicyCheck;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.PolicyCheck;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * Audit defect 4: settings that make the product weak must stop the start, with a message naming the
 * key and its bound. The configuration is built as Quarkus builds it at start (SmallRye, the mappings'
 * Bean Validation constraints), then the start-up checks run (PolicyCheck, AuthPolicyCheck).
 */
class ConfigBoundsTest {

    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // base64 of 32 bytes

    static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    /** What starting with these settings does: null when it starts, else the refusal's message. */
    static String start(String key, String value) {
        Map<String, String> props = new HashMap<>(Map.of("otp.hmac-key", KEY, "otp.auth.token-key", KEY));
        props.put(key, value);
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withMapping(OtpConfig.class).withMapping(AuthConfig.class)
                    .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                    .withSources(new PropertiesConfigSource(props, "test", 100)).build();
            PolicyCheck.check(config.getConfigMapping(OtpConfig.class));
            AuthPolicyCheck.check(config.getConfigMapping(AuthConfig.class));
            return null;
        } catch (RuntimeException refused) {
            return refused.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
            "otp.code-length | 4 | otp.code-length | 6",
            "otp.code-length | 5 | otp.code-length | 6",
            "otp.code-length | 11 | otp.code-length | 10",
            "otp.auth.failure-window | PT0S | otp.auth.failure-window | a minute",
            "otp.auth.failure-window | PT59S | otp.auth.failure-window | a minute",
            "otp.auth.failure-window | PT25H | otp.auth.failure-window | a day",
            "otp.auth.max-failures | 101 | otp.auth.max-failures | 100",
            "otp.auth.free-failures-per-source | 0 | otp.auth.free-failures-per-source | 1",
            "otp.auth.free-failures-per-source | 11 | otp.auth.free-failures-per-source | 10",
            "otp.auth.first-delay | PT0.5S | otp.auth.first-delay | 1 to 60 seconds",
            "otp.auth.first-delay | PT2M | otp.auth.first-delay | 1 to 60 seconds",
            "otp.auth.max-delay | PT2H | otp.auth.max-delay | an hour",
            "otp.auth.ceiling-checks-per-minute | 0 | otp.auth.ceiling-checks-per-minute | 1",
            "otp.auth.ceiling-checks-per-minute | 61 | otp.auth.ceiling-checks-per-minute | 60",
            "otp.auth.token-validity | PT24H1S | otp.auth.token-validity | 24 hours",
            "otp.auth.token-validity | P30D | otp.auth.token-validity | 24 hours",
            "otp.auth.token-validity | PT0S | otp.auth.token-validity | 1 minute",
            // 42 typed characters that happen to be base64url: 31 bytes of key material
            "otp.hmac-key | local-run-hmac-key-not-a-secret-0123456789 | otp.hmac-key | decodes to 31 bytes",
            "otp.hmac-key | MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZQ== | otp.hmac-key | 32 random bytes",
            "otp.hmac-key | not base64 at all, but forty characters! | otp.hmac-key | not base64",
            "otp.auth.token-key | c2hvcnQ= | otp.auth.token-key | decodes to 5 bytes" })
    void weakSettingsStopTheStart(String key, String value, String named, String bound) {
        String refusal = start(key, value);
        assertTrue(refusal != null, key + "=" + value + " started");
        assertTrue(refusal.contains(named), refusal);
        assertTrue(refusal.contains(bound), refusal);
        assertFalse(refusal.contains(value) && value.length() > 12, "a key's value is never printed: " + refusal);
    }

    @ParameterizedTest(name = "{0}={1} starts")
    @CsvSource(delimiter = '|', value = {
            "otp.code-length | 6",
            "otp.code-length | 10",
            "otp.auth.failure-window | PT1M",
            "otp.auth.failure-window | PT24H",
            "otp.auth.free-failures-per-source | 10",
            "otp.auth.first-delay | PT1M",
            "otp.auth.max-delay | PT1H",
            "otp.auth.ceiling-checks-per-minute | 1",
            "otp.auth.token-validity | PT24H",
            "otp.auth.token-validity | PT100M",
            "otp.hmac-key | MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", // padding optional
            "otp.hmac-key | 8J-Ri-7Lh9f0P3FYQm1sZq0l1Zp6c5hV8zT3c1uX0ek", // URL-safe alphabet, 32 bytes
            "otp.auth.token-key | dGVzdCB0b2tlbiBrZXkgLSBub3QgYSBzZWNyZXQgLSAw" })
    void soundSettingsStart(String key, String value) {
        assertDoesNotThrow(() -> {
            String refusal = start(key, value);
            if (refusal != null) {
                throw new AssertionError(refusal);
            }
        });
    }
}
