package dev.otpgate.courier;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.otpgate.snapstart.PrimingRedirect;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2ClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The End User Messaging SMS and voice v2 client. No Quarkus extension exists for it, so it is built here the way the
 * extension builds the SNS client: the url-connection HTTP client (small, native-friendly), the SNS client's region
 * and credentials (one AWS identity and region for the function), SNS's connection, socket and call timeouts (so the
 * request deadline, computed from quarkus.sns.api-call-timeout, holds for either sender), and the SnapStart
 * priming's redirect. Built on first use only: a deployment that sends through SNS never creates it.
 */
@ApplicationScoped
public class EndUserMessagingClient {

    @Produces
    @ApplicationScoped
    PinpointSmsVoiceV2Client client(SnsClient sns, EndUserMessagingConfig config,
            @ConfigProperty(name = "quarkus.sns.sync-client.connection-timeout") Duration connectionTimeout,
            @ConfigProperty(name = "quarkus.sns.sync-client.socket-timeout") Duration socketTimeout,
            @ConfigProperty(name = "quarkus.sns.api-call-timeout") Duration callTimeout,
            @ConfigProperty(name = "quarkus.sns.api-call-attempt-timeout") Duration attemptTimeout) {
        var snsConfig = sns.serviceClientConfiguration();
        PinpointSmsVoiceV2ClientBuilder builder = PinpointSmsVoiceV2Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(connectionTimeout)
                        .socketTimeout(socketTimeout))
                .region(snsConfig.region())
                .credentialsProvider(snsConfig.credentialsProvider())
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout).apiCallAttemptTimeout(attemptTimeout)
                        .addExecutionInterceptor(new PrimingRedirect()));
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes PinpointSmsVoiceV2Client client) {
        client.close();
    }
}
