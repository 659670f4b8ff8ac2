package dev.otpgate.courier;

import java.time.Clock;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpMessage;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.MessageType;

/**
 * SMS through End User Messaging: one SendTextMessage, transactional, that lives no longer than the code (TimeToLive),
 * costs at most MaxPrice per part, names the configuration set (delivery events) and carries the TransactionID and
 * OrgID as its Context (copied into each event; never the code or the number), with message feedback on.
 */
@ApplicationScoped
class EndUserMessagingSms implements Sender {

    private final PinpointSmsVoiceV2Client client;
    private final EndUserMessagingConfig config;
    private final Clock clock;

    EndUserMessagingSms(PinpointSmsVoiceV2Client client, EndUserMessagingConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String send(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
        return client.sendTextMessage(r -> r.destinationPhoneNumber(message.destination())
                .messageBody(message.text())
                .messageType(MessageType.TRANSACTIONAL)
                .timeToLive(SendTerms.timeToLive(message, clock))
                .maxPrice(SendTerms.maxPrice(message, config))
                .configurationSetName(config.configurationSet().orElse(null))
                .originationIdentity(SendTerms.smsOrigination(message, config))
                .context(SendTerms.context(message))
                .messageFeedbackEnabled(true)
                .overrideConfiguration(deadline)).messageId();
    }
}
