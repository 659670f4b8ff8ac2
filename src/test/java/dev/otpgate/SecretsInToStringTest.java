package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Audit defect 10: a record's default toString prints every component, so one log line with a request
 * in it would print the code or the password. Every record of the function that holds a code, a
 * password, a key, a token, a hash of one, or raw caller input (a JSON tree) must leave it out: each
 * record is built with a marker in every such place and its toString, nested records included, must
 * show none of them.
 */
class SecretsInToStringTest {

    /** Component names that hold a secret or something that reveals one. */
    static final Pattern SECRET = Pattern.compile(
            "(?i)code|otpText|text|password|passwordHash|apiKey|key|secret|tokenId|token|codeHash|sha256|hash");

    @Test
    void noRecordPrintsASecret() {
        List<Class<?>> records = records();
        assertTrue(records.size() > 20, "the scan found the function's records: " + records);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : records) {
            List<String> markers = new ArrayList<>();
            Object value = build(type, markers, 0);
            String text = value.toString();
            markers.stream().filter(text::contains).forEach(m -> leaks.add(type.getName() + " prints " + m));
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void theMarkersReachTheRecordsThatHoldSecrets() {
        // The check above proves nothing unless the markers really go where secrets go.
        List<String> markers = new ArrayList<>();
        build(dev.otpgate.otp.OtpMessage.class, markers, 0);
        assertTrue(markers.contains("SECRET-text"), "a message's text holds the code: " + markers);
        markers.clear();
        build(dev.otpgate.api.SummitRequest.class, markers, 0);
        assertTrue(markers.contains("SECRET-Password") || markers.contains("SECRET-password"), markers.toString());
        assertTrue(markers.contains("SECRET-json"), markers.toString());
        assertFalse(markers.contains("SECRET-serviceName"), "only secret components get markers");
    }

    /** Every record compiled from src/main, found on disk next to this project's classes. */
    static List<Class<?>> records() {
        Path root = classesRoot();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(SecretsInToStringTest::load)
                    .filter(c -> c != null && c.isRecord())
                    .<Class<?>>map(c -> c)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classesRoot() {
        try {
            return Paths.get(dev.otpgate.otp.OtpCodes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SecretsInToStringTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** An instance with a marker in every String; the markers of secret components are collected. */
    static Object build(Class<?> type, List<String> markers, int depth) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            boolean secret = SECRET.matcher(components[i].getName()).matches();
            args[i] = value(types[i], components[i].getName(), secret, markers, depth);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot build " + type + " from " + java.util.Arrays.toString(types), e);
        }
    }

    private static Object value(Class<?> type, String name, boolean secret, List<String> markers, int depth) {
        if (type == String.class) {
            String marker = (secret ? "SECRET-" : "plain-") + name;
            if (secret) {
                markers.add(marker);
            }
            return marker;
        }
        if (JsonNode.class.isAssignableFrom(type)) { // raw caller input: may hold OTP_Text or a password
            markers.add("SECRET-json");
            return JsonNodeFactory.instance.objectNode().put("OTP_Text", "SECRET-json");
        }
        if (type.isRecord() && depth < 4) {
            return build(type, markers, depth + 1);
        }
        if (type == byte[].class) {
            return new byte[] { 1, 2, 3 };
        }
        if (type.isPrimitive()) { // its zero value
            return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type == Instant.class) {
            return Instant.EPOCH;
        }
        if (type == Duration.class) {
            return Duration.ZERO;
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        if (type == List.class) {
            return List.of();
        }
        return null;
    }
}
