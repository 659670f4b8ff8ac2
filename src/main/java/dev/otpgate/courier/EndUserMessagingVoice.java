package dev.otpgate.courier;

import java.time.Clock;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpMessage;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.VoiceId;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.VoiceMessageBodyTextType;

/**
 * A call through End User Messaging: one SendVoiceMessage that reads the code (SSML, VoiceTexts) with the language's
 * Polly voice, from the voice origination identity, at most MaxPricePerMinute, no later than the code's expiry
 * (TimeToLive), with the configuration set and the same Context as a text.
 */
@ApplicationScoped
class EndUserMessagingVoice implements Sender {

    private final PinpointSmsVoiceV2Client client;
    private final EndUserMessagingConfig config;
    private final Clock clock;

    EndUserMessagingVoice(PinpointSmsVoiceV2Client client, EndUserMessagingConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String send(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
        return client.sendVoiceMessage(r -> r.destinationPhoneNumber(message.destination())
                // required by SendVoiceMessage: unset, the call is refused (a clean failure, or the fallback)
                .originationIdentity(config.voiceOriginationIdentity().orElse(null))
                .messageBody(message.text())
                .messageBodyTextType(VoiceMessageBodyTextType.SSML)
                .voiceId(VoiceId.fromValue(message.voice()))
                .timeToLive(SendTerms.timeToLive(message, clock))
                .maxPricePerMinute(config.maxPricePerMinute())
                .configurationSetName(config.configurationSet().orElse(null))
                .context(SendTerms.context(message))
                .messageFeedbackEnabled(true)
                .overrideConfiguration(deadline)).messageId();
    }
}
