package dev.otpgate.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;

/**
 * Puts the secrets of {@link SsmSecrets} into the configuration, read from SSM once when the
 * configuration is built (the Lambda cold start; with SnapStart, before the snapshot). A config source
 * and not a bean, because the policy ({@code OtpConfig}) is validated before any bean exists.
 * Registered in META-INF/services; Quarkus runs it at run time only, never while building the image.
 *
 * <p>Inactive in the dev and test profiles and whenever no {@code *_PARAMETER} variable is set (the
 * local run and sam local set the key directly). The client is configured by the same keys as the
 * quarkus-amazon-ssm extension's: {@code quarkus.ssm.endpoint-override}, {@code quarkus.ssm.aws.region}
 * and static credentials; in Lambda none is set and the SDK's defaults (AWS_REGION, the function's
 * role) apply.
 */
public class SsmSecretsFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    /**
     * Timeouts of this client (audit issue 8, defect 3): SSM answers GetParameters in tens of milliseconds, and the
     * Lambda init phase that runs this has 10 s in all. A stalled SSM stops the start after at most 4 s (so the
     * init is retried) instead of holding it for the SDK's 30 s socket timeout; GetParameters is a read, so a
     * timed-out attempt may be retried within the 4 s. The same keys as the extension's can override them.
     */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(4);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (context.getProfiles().contains("dev") || context.getProfiles().contains("test")) {
            return List.of();
        }
        Map<String, String> parameterByProperty = new LinkedHashMap<>();
        for (String property : SsmSecrets.PROPERTIES) {
            String name = value(context, SsmSecrets.parameterVariable(property));
            if (name != null) {
                parameterByProperty.put(property, name);
            }
        }
        if (parameterByProperty.isEmpty()) {
            return List.of();
        }
        try (SsmClient ssm = client(context)) {
            return List.of(new PropertiesConfigSource(SsmSecrets.load(parameterByProperty, ssm), "SSM Parameter Store", ORDINAL));
        }
    }

    private static SsmClient client(ConfigSourceContext context) {
        SsmClientBuilder builder = SsmClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(duration(context, "quarkus.ssm.sync-client.connection-timeout", CONNECTION_TIMEOUT))
                        .socketTimeout(duration(context, "quarkus.ssm.sync-client.socket-timeout", SOCKET_TIMEOUT))
                        .build())
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(duration(context, "quarkus.ssm.api-call-attempt-timeout", ATTEMPT_TIMEOUT))
                        .apiCallTimeout(duration(context, "quarkus.ssm.api-call-timeout", CALL_TIMEOUT)));
        String endpoint = value(context, "quarkus.ssm.endpoint-override");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        String region = value(context, "quarkus.ssm.aws.region");
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.credentialsProvider(credentials(context)).build();
    }

    private static AwsCredentialsProvider credentials(ConfigSourceContext context) {
        if ("static".equals(value(context, "quarkus.ssm.aws.credentials.type"))) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    value(context, "quarkus.ssm.aws.credentials.static-provider.access-key-id"),
                    value(context, "quarkus.ssm.aws.credentials.static-provider.secret-access-key")));
        }
        // Lambda: environment credentials, or the container provider SnapStart functions get.
        return DefaultCredentialsProvider.builder().build();
    }

    private static Duration duration(ConfigSourceContext context, String name, Duration otherwise) {
        String v = value(context, name);
        // "2S" or "PT2S", as Quarkus reads its duration keys
        return v == null ? otherwise : new io.quarkus.runtime.configuration.DurationConverter().convert(v);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
