package dev.otpgate.deploy;

import static dev.otpgate.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.otpgate.packaging.PackageEntries;

/**
 * After `package`: template.yaml deploys what the build made. Quarkus writes, beside function.zip, the SAM
 * templates it would use itself (target/sam.jvm.yaml, target/sam.native.yaml); our template's runtime and
 * handler for each flavour must be theirs, and the zip must hold what that flavour runs: the handler class
 * (JVM) or the `bootstrap` executable (native, `-Dnative`).
 */
class PackageMatchesTemplateIT {

    @Test
    void eachFlavourRunsWhatQuarkusBuildsForIt() {
        Map<String, Object> jvm = quarkusFunction("sam.jvm.yaml");
        Map<String, Object> nat = quarkusFunction("sam.native.yaml");
        Map<?, ?> ourJvm = (Map<?, ?>) Template.load(Map.of("Flavour", "jvm")).resolve(Template.load().properties("OtpFunction"));
        Map<?, ?> ourNative = (Map<?, ?>) Template.load().resolve(Template.load().properties("OtpFunction"));

        assertEquals(jvm.get("Runtime"), ourJvm.get("Runtime"));
        assertEquals(jvm.get("Handler"), ourJvm.get("Handler"));
        assertEquals(nat.get("Runtime"), ourNative.get("Runtime"));
        for (Map<?, ?> ours : List.of(ourJvm, ourNative)) {
            assertEquals("target/" + jvm.get("CodeUri"), ours.get("CodeUri"), "the zip the build writes");
            assertEquals("target/" + nat.get("CodeUri"), ours.get("CodeUri"));
        }
    }

    @Test
    void theZipHoldsWhatItsFlavourRuns() throws IOException {
        Path zip = Path.of("target", "function.zip");
        assertTrue(Files.exists(zip), "the build writes target/function.zip");
        List<String> entries = PackageEntries.of(zip);
        if (entries.contains("bootstrap")) { // -Dnative: the executable alone
            assertEquals(List.of("bootstrap"), entries.stream().filter(e -> !e.endsWith("/")).toList());
            return;
        }
        String handler = String.valueOf(((Map<?, ?>) Template.load(Map.of("Flavour", "jvm"))
                .resolve(Template.load().properties("OtpFunction"))).get("Handler"));
        String handlerClass = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
        assertTrue(entries.stream().anyMatch(e -> e.endsWith("!" + handlerClass) || e.equals(handlerClass)),
                "the JVM package holds " + handlerClass);
    }

    static Map<String, Object> quarkusFunction(String file) {
        Map<String, Object> resources = map(CfnYaml.read(Path.of("target", file)).get("Resources"));
        assertEquals(1, resources.size(), file);
        return map(map(resources.values().iterator().next()).get("Properties"));
    }
}
