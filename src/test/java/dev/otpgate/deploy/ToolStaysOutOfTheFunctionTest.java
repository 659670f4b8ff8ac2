package dev.otpgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The operators' tool and the local run are not the function: their classes stay out of its package (and out of
 * the IAM scan, AwsCallsInCode). A class added to either package without its entry would ship, and its AWS calls
 * would ask for grants the function must not have.
 */
class ToolStaysOutOfTheFunctionTest {

    @Test
    void everyCompiledClassOfTheToolAndTheLocalRunIsLeftOutOfThePackage() throws IOException {
        Set<String> ignored = new TreeSet<>(Set.of(ConfigKeys.applicationProperties()
                .get("quarkus.package.jar.user-configured-ignored-entries").split("\\s*,\\s*")));
        Path classes = Path.of("target/classes");
        Set<String> missing = new TreeSet<>();
        for (String room : new String[] {"dev/otpgate/admin", "dev/otpgate/local"}) {
            try (Stream<Path> files = Files.list(classes.resolve(room))) {
                files.map(f -> classes.relativize(f).toString().replace('\\', '/'))
                        .filter(f -> f.endsWith(".class") && !ignored.contains(f))
                        .forEach(missing::add);
            }
        }
        assertEquals(Set.of(), missing, "add these to quarkus.package.jar.user-configured-ignored-entries");
    }
}
