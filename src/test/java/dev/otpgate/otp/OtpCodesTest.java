package dev.otpgate.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The code generator and the keyed hash, without Quarkus: the configuration is built by SmallRye. */
class OtpCodesTest {

    static OtpCodes codes(int length, String key) {
        Map<String, String> props = new HashMap<>(Map.of("otp.code-length", Integer.toString(length), "otp.hmac-key", key));
        OtpConfig config = new SmallRyeConfigBuilder().withMapping(OtpConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 100)).build().getConfigMapping(OtpConfig.class);
        return new OtpCodes(config);
    }

    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // base64 of 32 bytes

    @ParameterizedTest
    @ValueSource(ints = { 6, 8, 10 })
    void codesHaveTheConfiguredNumberOfDigits(int length) {
        OtpCodes codes = codes(length, KEY);
        for (int i = 0; i < 1000; i++) {
            String code = codes.newCode(length);
            assertEquals(length, code.length());
            assertTrue(code.chars().allMatch(Character::isDigit), code);
            assertTrue(OtpCodes.wellFormed(code, length));
        }
    }

    @Test
    void digitsAreUniformIncludingLeadingZeros() {
        OtpCodes codes = codes(6, KEY);
        int[] counts = new int[10];
        int n = 60_000;
        for (int i = 0; i < n / 6; i++) {
            codes.newCode(6).chars().forEach(c -> counts[c - '0']++);
        }
        // each digit expects n/10 = 6000; a chi-square with 9 degrees of freedom stays under 27.9 (p=0.001)
        double chi = 0;
        for (int c : counts) {
            chi += Math.pow(c - n / 10.0, 2) / (n / 10.0);
        }
        assertTrue(chi < 27.9, "chi-square " + chi);
    }

    @Test
    void codesDoNotRepeatMoreThanChanceAllows() {
        OtpCodes codes = codes(6, KEY);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(codes.newCode(6));
        }
        assertTrue(seen.size() > 990, "1000 draws from a million repeat about once: " + seen.size());
    }

    @Test
    void theHashIsKeyedAndBoundToItsTransaction() {
        OtpCodes a = codes(6, KEY);
        OtpCodes b = codes(6, "YW5vdGhlci1rZXktYW5vdGhlci1rZXktYW5vdGhlci1rZXk="); // base64 of another 35 bytes
        String hash = a.hash("tx-1", "123456");
        assertTrue(a.matches("tx-1", "123456", hash));
        assertFalse(a.matches("tx-1", "123457", hash));
        assertFalse(a.matches("tx-2", "123456", hash), "bound to its transaction");
        assertFalse(b.matches("tx-1", "123456", hash), "useless without the key");
        assertFalse(hash.contains("123456"));
        assertNotEquals(a.fingerprint(Channel.SMS, "+14155554219"), b.fingerprint(Channel.SMS, "+14155554219"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "12345", "1234567", "12a456", "", " 23456", "١٢٣٤٥٦" })
    void malformedCodesAreRecognised(String typed) {
        assertFalse(OtpCodes.wellFormed(typed, 6));
    }
}
