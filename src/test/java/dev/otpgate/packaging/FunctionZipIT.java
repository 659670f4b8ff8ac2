package dev.otpgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The package Lambda gets (target/function.zip) holds the function and nothing of the local run
 * (no DynamoDB Local, no SQLite, no console outbox) nor the operators' tool.
 */
class FunctionZipIT {

    @Test
    void theDeployedPackageHoldsNothingOfTheLocalRun() throws IOException {
        Path zip = Path.of("target", "function.zip");
        assertTrue(Files.exists(zip), "the build writes target/function.zip");
        List<String> entries = PackageEntries.of(zip);
        assertTrue(entries.stream().anyMatch(n -> n.endsWith("dev/otpgate/api/SummitEndpoint.class")),
                "the function itself is packaged");
        assertTrue(entries.stream().anyMatch(n -> n.endsWith("dev/otpgate/auth/PasswordHasher.class")),
                "authentication is packaged");
        List<String> local = entries.stream()
                .filter(n -> !n.endsWith("/"))
                .filter(n -> n.contains("DynamoDBLocal") || n.contains("sqlite4java") || n.contains("dev/otpgate/local/")
                        || n.contains("dev/otpgate/admin/")
                        || n.contains("wiremock") || n.contains("log4j-core"))
                .toList();
        assertEquals(List.of(), local);
    }
}
