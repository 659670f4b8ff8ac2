package dev.otpgate.courier;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.Courier;
import dev.otpgate.otp.OtpMessage;
import io.quarkus.arc.profile.UnlessBuildProfile;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** SMS through SNS (one Publish, transactional), e-mail through SES (one SendEmail). */
@ApplicationScoped
@UnlessBuildProfile("dev")
public class AwsCourier implements Courier {

    private final SnsClient sns;
    private final SesClient ses;

    AwsCourier(SnsClient sns, SesClient ses) {
        this.sns = sns;
        this.ses = ses;
    }

    @Override
    public void deliver(OtpMessage message, Duration timeout) {
        // One attempt, as long as the request can wait: a timed-out attempt may have been delivered, so none is resent.
        Consumer<AwsRequestOverrideConfiguration.Builder> deadline = o -> o.apiCallTimeout(timeout)
                .apiCallAttemptTimeout(timeout);
        try {
            if (message.channel() == Channel.SMS) {
                sendSms(message, deadline);
            } else {
                sendEmail(message, deadline);
            }
        } catch (SdkServiceException e) { // the provider answered: it will not deliver this one
            throw new DeliveryFailedException(e.getClass().getSimpleName(), e, true);
        } catch (SdkException e) { // a timeout or a broken connection: it may have gone out
            throw new DeliveryFailedException(e.getClass().getSimpleName(), e, false);
        }
    }

    private void sendSms(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
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
    }

    private void sendEmail(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
        ses.sendEmail(r -> r.overrideConfiguration(deadline).source(message.emailSender())
                .destination(d -> d.toAddresses(message.destination()))
                .message(m -> m
                        .subject(c -> c.charset("UTF-8").data(message.subject()))
                        .body(b -> b.text(c -> c.charset("UTF-8").data(message.text())))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
