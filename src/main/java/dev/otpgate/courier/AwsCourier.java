package dev.otpgate.courier;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.Courier;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpMessage;
import io.quarkus.arc.profile.UnlessBuildProfile;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** SMS through SNS (one Publish, transactional), e-mail through SES (one SendEmail). */
@ApplicationScoped
@UnlessBuildProfile("dev")
public class AwsCourier implements Courier {

    private final SnsClient sns;
    private final SesClient ses;
    private final OtpConfig config;

    AwsCourier(SnsClient sns, SesClient ses, OtpConfig config) {
        this.sns = sns;
        this.ses = ses;
        this.config = config;
    }

    @Override
    public void deliver(OtpMessage message) {
        try {
            if (message.channel() == Channel.SMS) {
                sendSms(message);
            } else {
                sendEmail(message);
            }
        } catch (SdkException e) {
            throw new DeliveryFailedException(e.getClass().getSimpleName(), e);
        }
    }

    private void sendSms(OtpMessage message) {
        OtpConfig.Sms sms = config.sms();
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        // Transactional: highest delivery priority, and not subject to marketing opt-outs.
        attributes.put("AWS.SNS.SMS.SMSType", text("Transactional"));
        sms.senderId().ifPresent(id -> attributes.put("AWS.SNS.SMS.SenderID", text(id)));
        sms.originationNumber().ifPresent(n -> attributes.put("AWS.MM.SMS.OriginationNumber", text(n)));
        sns.publish(r -> r.phoneNumber(message.destination())
                .message(Templates.body(sms.template(), message))
                .messageAttributes(attributes));
    }

    private void sendEmail(OtpMessage message) {
        OtpConfig.Email email = config.email();
        ses.sendEmail(r -> r.source(email.sender())
                .destination(d -> d.toAddresses(message.destination()))
                .message(m -> m
                        .subject(c -> c.charset("UTF-8").data(email.subject()))
                        .body(b -> b.text(c -> c.charset("UTF-8").data(Templates.body(email.template(), message))))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
