package dev.otpgate.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.otp.OtpConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * /q/health/ready (SmallRye Health), which Route 53's health check calls through the API (docs/regions.md "Knowing
 * when to move"): UP while this region's DynamoDB answers, DOWN (503) once it does not. Cheap: one data-plane GetItem
 * of a fixed key that never exists (no DescribeTable: a throttled control-plane call), with the client's 1 s call
 * timeout, and its answer kept for {@link #KEPT}, so that health checkers from several places every 10 s cost at most
 * one read per instance per {@link #KEPT}.
 */
@Readiness
@ApplicationScoped
public class DynamoDbReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DynamoDbReadiness.class);
    /** How long an answer is reused: well under Route 53's 10 s interval, so a failure shows at the next check. */
    static final Duration KEPT = Duration.ofSeconds(2);
    /** The key read: no user is keyed so (a DomainId never starts with '#'), so the read finds nothing and costs 0.5 RCU. */
    static final Map<String, AttributeValue> PROBE = Map.of(Attr.DOMAIN_ID, Attr.s("#health"), Attr.USER_ID, Attr.s("#probe"));

    private final DynamoDbClient dynamo;
    private final String users;
    private final Clock clock;
    private volatile HealthCheckResponse last;
    private volatile Instant lastAt = Instant.MIN;

    DynamoDbReadiness(DynamoDbClient dynamo, OtpConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.users = config.tables().users();
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        HealthCheckResponse kept = last;
        if (kept != null && now.isBefore(lastAt.plus(KEPT))) {
            return kept;
        }
        HealthCheckResponse fresh;
        try {
            dynamo.getItem(r -> r.tableName(users).key(PROBE));
            fresh = HealthCheckResponse.up("dynamodb");
        } catch (RuntimeException e) { // a timeout, a refused connection, throttling, an AWS 5xx: not ready
            LOG.warnf("Readiness: DynamoDB did not answer: %s", e.getClass().getSimpleName());
            fresh = HealthCheckResponse.down("dynamodb");
        }
        last = fresh;
        lastAt = now;
        return fresh;
    }
}
