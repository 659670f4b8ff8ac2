package dev.otpgate.events;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where delivery events come from (prefix {@code otp.delivery-events}; docs/delivery.md "Delivery events"). */
@ConfigMapping(prefix = "otp.delivery-events")
public interface DeliveryEventsConfig {

    /**
     * The SNS topic the configuration set's event destination publishes to: a message from any other topic (another
     * configuration set, another stack) is refused. Unset: no event is accepted.
     */
    Optional<String> topicArn();

    /**
     * What a SigningCertURL and a SubscribeURL must match: SNS's own HTTPS endpoints, so that a forged message cannot
     * name a certificate of its own or make the function call elsewhere. Tests point it at the local recorder.
     */
    @WithDefault("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*")
    String snsUrlPattern();
}
