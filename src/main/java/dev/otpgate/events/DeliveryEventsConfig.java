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
     * What a SigningCertURL and a SubscribeURL must match: SNS's own HTTPS endpoint in a region
     * (sns.us-east-1.amazonaws.com, sns.cn-north-1.amazonaws.com.cn, sns.us-gov-west-1.amazonaws.com) and only its
     * certificate or its confirmation, so that a forged message cannot name a certificate of its own or make the
     * function call elsewhere: the label after "sns." must look like a region, since any other label there can be
     * someone's host under amazonaws.com (an S3 bucket named "sns": sns.s3.amazonaws.com). Tests point it at the local
     * recorder.
     */
    @WithDefault("^https://sns\\.[a-z]{2}(-gov)?-[a-z]+-[0-9]+\\.amazonaws\\.com(\\.cn)?"
            + "/(SimpleNotificationService-[0-9a-f]+\\.pem|\\?Action=ConfirmSubscription&[^#]*)$")
    String snsUrlPattern();
}
