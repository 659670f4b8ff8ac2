package dev.otpgate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.otpgate.admin.CallerWrites;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.OrgAttr;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.otp.OrgKeys;
import dev.otpgate.otp.OtpConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local run ({@code ./mvnw quarkus:dev}): DynamoDB Local on port 8000, the tables, and the demo
 * user of the seed's sample request. Dev profile only; never packaged. Its data live in {@link #DATA}, so a
 * live reload (the application stopped and started in the same JVM) keeps what the operators' tool imported
 * and the TokenIDs handed out; the demo data are written only into an empty directory (a caller put again
 * would end its TokenIDs). A new {@code quarkus:dev} (a new JVM) starts afresh, as the README says: no
 * cooldown or hold of an earlier session answers its first request.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class LocalRun {

    private static final Logger LOG = Logger.getLogger(LocalRun.class);
    /** Under target/, as the build's other outputs. */
    static final Path DATA = Path.of("target", "dynamodb-local");
    /** Set at the first start in this JVM: a system property outlives the application's class loader, a reload. */
    static final String STARTED = "dev.otpgate.local.LocalRun.started";

    private DynamoDbLocalServer server;
    private boolean kept;

    void start(@Observes @Priority(1) StartupEvent event, OtpConfig config, PasswordHasher hasher,
            @ConfigProperty(name = "local-run.dynamodb-port", defaultValue = "8000") int port,
            @ConfigProperty(name = "local-run.bench-users", defaultValue = "0") int benchUsers) {
        try {
            freshAtFirstStart(DATA);
            server = DynamoDbLocalServer.start(port, DATA);
            kept = !setUp(server.endpoint(), config.tables(), config.tenancy().legacyOrg(), hasher, benchUsers);
        } catch (RuntimeException e) {
            // Dev mode keeps port 8080 for its error page: without this line a failed set-up looks like a hang.
            LOG.errorf(e, "%n%n*** THE LOCAL RUN DID NOT START: %s ***%n*** Nothing answers the sample request."
                    + " Fix the cause, then press [s] to restart (or run ./mvnw quarkus:dev again). ***%n", e);
            throw new IllegalStateException("The local run did not start: " + e, e);
        }
        if (kept) {
            LOG.infof("Local run: DynamoDB Local at %s, its data kept across the reload in %s", server.endpoint(), DATA);
        } else {
            LOG.infof("Local run: DynamoDB Local at %s (data in %s), tables created, demo user 1/967 'abcd', caller"
                    + " 1/google@sum.com, organisation 2 (e-mail, German) with the same ids, and %d bench users seeded",
                    server.endpoint(), DATA, benchUsers);
        }
    }

    /** The first start in this JVM (a new quarkus:dev) empties {@code data}; a reload's start keeps it. */
    static void freshAtFirstStart(Path data) {
        if (System.getProperty(STARTED) != null) {
            return;
        }
        if (Files.isDirectory(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot empty " + data, e);
            }
        }
        System.setProperty(STARTED, data.toString());
    }

    /**
     * The tables and the seed, through a client of their own ({@link SetUpClient}): the request path's 1 s
     * timeouts are too short for DynamoDB Local's first calls on a busy machine (issue 16, finding 8). False
     * when the seed's caller is already there: the data of an earlier start, kept as they are.
     */
    static boolean setUp(String endpoint, OtpConfig.Tables tables, String legacyOrg, PasswordHasher hasher,
            int benchUsers) {
        try (DynamoDbClient dynamo = SetUpClient.open(endpoint)) {
            LocalTables.create(dynamo, TableSpec.all(tables));
            if (!new CallerWrites(dynamo, tables.callers(), tables.users()).caller("1", "google@sum.com").isEmpty()) {
                return false;
            }
            dynamo.putItem(r -> r.tableName(tables.users()).item(Map.of(
                    Attr.DOMAIN_ID, Attr.s("1"),
                    Attr.USER_ID, Attr.s("967"),
                    Attr.USER_NAME, Attr.s("abcd"),
                    Attr.MOBILE, Attr.s("+14155550142"),
                    Attr.EMAIL, Attr.s("abcd@example.com"))));
            // bench/e2e.py needs many users: one send per user, or the cooldown would answer 429.
            for (int i = 0; i < benchUsers; i++) {
                String id = Integer.toString(100_000 + i);
                String mobile = String.format("+1415555%04d", i % 10_000);
                dynamo.putItem(r -> r.tableName(tables.users()).item(Map.of(
                        Attr.DOMAIN_ID, Attr.s("1"), Attr.USER_ID, Attr.s(id), Attr.USER_NAME, Attr.s("bench" + id),
                        Attr.MOBILE, Attr.s(mobile), Attr.EMAIL, Attr.s("bench" + id + "@example.com"))));
            }
            // The seed's caller (its sample request works verbatim): a service account that may generate for domain 1.
            CallerWrites callers = new CallerWrites(dynamo, tables.callers(), tables.users());
            String password = hasher.hash("XXXX@123");
            callers.putCaller("1", "google@sum.com", password, null, null, Set.of("1"));
            seedSecondOrg(dynamo, tables, legacyOrg, callers, password);
            return true;
        }
    }

    /**
     * A second organisation with the same ids as the seed's, to show that they are apart: its codes go by
     * e-mail, its user reads German, and the seed's request with "OrgID": "2" reaches it.
     */
    private static void seedSecondOrg(DynamoDbClient dynamo, OtpConfig.Tables tables, String legacyOrg,
            CallerWrites callers, String password) {
        dynamo.putItem(r -> r.tableName(tables.orgs()).item(Map.of(
                Attr.ORG_ID, Attr.s("2"),
                OrgAttr.CHANNEL, Attr.s("EMAIL"),
                OrgAttr.DEFAULT_LOCALE, Attr.s("de"),
                OrgAttr.EMAIL_SENDER, Attr.s("Beispiel GmbH <otp@beispiel.example>"))));
        callers.putUser(new OrgKeys(legacyOrg).scoped("2", "1"), "967", "abcd", null,
                "abcd@beispiel.example", null, "de-DE");
        callers.putCaller("2", "google@sum.com", password, null, null, Set.of("1"));
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stop();
        }
    }
}
