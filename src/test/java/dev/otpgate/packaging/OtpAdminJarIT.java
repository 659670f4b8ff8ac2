package dev.otpgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.local.LocalTables;
import dev.otpgate.support.AwsLocalResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operators' tool as the build leaves it (target/otp-admin.jar), run as an operator runs it: {@code java -jar}
 * and nothing else, no AWS variable, an empty home, against a DynamoDB Local of this JVM. The time of each run
 * is printed ([measured]), never asserted: bench/BENCHMARKS.md has the figures.
 */
class OtpAdminJarIT {

    static final Path JAR = Path.of("target", "otp-admin.jar");
    static DynamoDbLocalServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void dynamoDbLocal() {
        server = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(java.net.URI.create(server.endpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            LocalTables.create(client, TableSpec.all(AwsLocalResource.TABLES));
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    record Run(int status, String out, String err) {
    }

    @Test
    void theJarRunsAloneWithItsArgumentsQuotingIntact() throws Exception {
        assertTrue(Files.exists(JAR), "./mvnw package writes " + JAR);
        Run help = jar("", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("Usage: admin") && help.err().isEmpty(), help.out() + help.err());

        String endpoint = server.endpoint();
        Path csv = Files.writeString(dir.resolve("with space.csv"),
                "DomainId,UserID,UserName,Mobile\n1,967,abcd,+14155550142\n1,968,Carol Jones,\n");
        Run imported = jar("", "user", "import", "--org", "2", "--csv", csv.toString(), "--endpoint", endpoint);
        assertEquals(0, imported.status(), imported.out() + imported.err());
        assertTrue(imported.out().contains("Written 2, unchanged 0, refused 0"), imported.out());
        Run put = jar("", "user", "put", "--org", "2", "--domain", "1", "--user", "967", "--name", "Ann Lee", "--prefer", "",
                "--endpoint", endpoint);
        assertEquals(0, put.status(), put.err());
        Run show = jar("", "user", "show", "--org", "2", "--domain", "1", "--user", "967", "--endpoint", endpoint);
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().contains("name: Ann Lee") && show.out().contains("mobile: ********0142"), show.out());
        Run keepName = jar("", "user", "put", "--org", "2", "--domain", "1", "--user", "968", "--prefer", "EMAIL",
                "--endpoint", endpoint);
        assertEquals(0, keepName.status(), keepName.err());
        assertTrue(jar("", "user", "show", "--org", "2", "--domain", "1", "--user", "968", "--endpoint", endpoint).out()
                .contains("name: Carol Jones"), "a put without --name keeps the stored one");
        Run newUser = jar("", "user", "put", "--org", "2", "--domain", "1", "--user", "999", "--prefer", "EMAIL",
                "--endpoint", endpoint);
        assertEquals(2, newUser.status(), newUser.out());
        assertTrue(newUser.err().startsWith("User 1/999 of organisation 2 is not in the directory: a new user needs --name"),
                newUser.err());

        Run caller = jar("a long enough password\n", "caller", "put", "--org", "2", "--name", "svc@sum.com",
                "--password-stdin", "--generate-for", "1", "--endpoint", endpoint);
        assertEquals(0, caller.status(), caller.err());
        assertTrue(caller.out().contains("password set (Argon2id)"), caller.out());
        Run key = jar("", "key", "add", "--org", "2", "--name", "svc@sum.com", "--endpoint", endpoint);
        assertEquals(0, key.status(), key.err());
        assertTrue(key.out().trim().startsWith("OGK1."), "the new key, alone on standard output: " + key.out());

        Run noRegion = jar("", "org", "show", "--org", "2");
        assertEquals(1, noRegion.status(), noRegion.out() + noRegion.err());
        assertEquals(1, noRegion.err().lines().count(), noRegion.err());
        assertTrue(noRegion.err().contains("AWS_REGION") && noRegion.err().contains("--endpoint"), noRegion.err());
    }

    @Test
    void theJarHoldsTheToolNotTheLocalRun() throws IOException {
        List<String> entries = PackageEntries.of(JAR);
        assertTrue(entries.contains("dev/otpgate/admin/Admin.class"), "the tool");
        assertFalse(entries.stream().anyMatch(e -> e.startsWith("dev/otpgate/local/") || e.contains("DynamoDBLocal")
                || e.contains("sqlite4java") || e.startsWith("io/quarkus/") || e.startsWith("io/vertx/")), "nor the local run"
                + " nor Quarkus");
    }

    Run jar(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("OTP_"));
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        long started = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        System.out.printf("[measured] java -jar otp-admin.jar %s: %.2f s%n", args.length > 1 ? args[0] + " " + args[1] : args[0],
                (System.nanoTime() - started) / 1e9);
        return new Run(p.exitValue(), out, err);
    }
}
