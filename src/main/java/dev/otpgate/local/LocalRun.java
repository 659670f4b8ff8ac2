package dev.otpgate.local;

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
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.otp.OtpConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local run ({@code ./mvnw quarkus:dev}): DynamoDB Local on port 8000, the tables, and the demo
 * user of the seed's sample request. Dev profile only; never packaged.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class LocalRun {

    private static final Logger LOG = Logger.getLogger(LocalRun.class);

    private DynamoDbLocalServer server;

    void start(@Observes @Priority(1) StartupEvent event, DynamoDbClient dynamo, OtpConfig config,
            PasswordHasher hasher, @ConfigProperty(name = "local-run.dynamodb-port", defaultValue = "8000") int port,
            @ConfigProperty(name = "local-run.bench-users", defaultValue = "0") int benchUsers) {
        server = DynamoDbLocalServer.start(port);
        LocalTables.create(dynamo, TableSpec.all(config.tables()));
        dynamo.putItem(r -> r.tableName(config.tables().users()).item(Map.of(
                Attr.DOMAIN_ID, Attr.s("1"),
                Attr.USER_ID, Attr.s("967"),
                Attr.USER_NAME, Attr.s("abcd"),
                Attr.MOBILE, Attr.s("+14155550142"),
                Attr.EMAIL, Attr.s("abcd@example.com"))));
        // bench/e2e.py needs many users: one send per user, or the cooldown would answer 429.
        for (int i = 0; i < benchUsers; i++) {
            String id = Integer.toString(100_000 + i);
            String mobile = String.format("+1415555%04d", i % 10_000);
            dynamo.putItem(r -> r.tableName(config.tables().users()).item(Map.of(
                    Attr.DOMAIN_ID, Attr.s("1"), Attr.USER_ID, Attr.s(id), Attr.USER_NAME, Attr.s("bench" + id),
                    Attr.MOBILE, Attr.s(mobile), Attr.EMAIL, Attr.s("bench" + id + "@example.com"))));
        }
        // The seed's caller (its sample request works verbatim): a service account that may generate for domain 1.
        new CallerWrites(dynamo, config.tables().callers(), config.tables().users())
                .putCaller("1", "google@sum.com", hasher.hash("XXXX@123"), null, null, Set.of("1"));
        LOG.infof("Local run: DynamoDB Local at %s, tables created, demo user 1/967 'abcd', caller 1/google@sum.com"
                + " and %d bench users seeded", server.endpoint(), benchUsers);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stop();
        }
    }
}
