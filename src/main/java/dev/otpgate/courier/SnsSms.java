package dev.otpgate.courier;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpMessage;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** SMS through SNS: one Publish, transactional. SNS reports no delivery per message and takes no feedback. */
@ApplicationScoped
class SnsSms implements Sender {

    private final SnsClient sns;

    SnsSms(SnsClient sns) {
        this.sns = sns;
    }

    @Override
    public String send(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        // Transactional: highest delivery priority, and not subject to marketing opt-outs.
        attributes.put("AWS.SNS.SMS.SMSType", text("Transactional"));
        if (message.smsSenderId() != null) {
            attributes.put("AWS.SNS.SMS.SenderID", text(message.smsSenderId()));
        }
        if (message.smsOriginationNumber() != null) {
            attributes.put("AWS.MM.SMS.OriginationNumber", text(message.smsOriginationNumber()));
        }
        sns.publish(r -> r.phoneNumber(message.destination()).message(message.text()).messageAttributes(attributes)
                .overrideConfiguration(deadline));
        return null;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
