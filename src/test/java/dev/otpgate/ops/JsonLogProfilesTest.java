package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Where the log lines are JSON (application.properties): in Lambda (prod), under sam local and for the packaged
 * function under the *IT classes (it, whose parent is test); the local run (dev) and the tests keep text. Files are
 * never JSON (the tests' call file holds the raw call lines).
 */
class JsonLogProfilesTest {

    @Test
    void jsonInLambdaTextLocally() throws IOException {
        assertEquals(true, json(List.of("prod")));
        assertEquals(true, json(List.of("sam-local")));
        assertEquals(true, json(List.of("test", "it")), "it, over its parent test (the last profile wins)");
        assertEquals(false, json(List.of("dev")));
        assertEquals(false, json(List.of("test")));
        for (String profile : List.of("prod", "dev", "test", "it")) {
            assertEquals(false, config(List.of(profile)).getValue("quarkus.log.file.json.enabled", Boolean.class), profile);
        }
        assertEquals("formatted", config(List.of("prod")).getValue("quarkus.log.console.json.exception-output-type",
                String.class), "a stack trace is one string field of its line");
    }

    private static boolean json(List<String> profiles) throws IOException {
        return config(profiles).getValue("quarkus.log.console.json.enabled", Boolean.class);
    }

    private static SmallRyeConfig config(List<String> profiles) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        Map<String, String> map = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return new SmallRyeConfigBuilder().withProfiles(profiles)
                .withSources(new PropertiesConfigSource(map, "application.properties", 250)).build();
    }
}
