package dev.otpgate.courier;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.Courier;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpMessage;
import dev.otpgate.otp.SmsSender;
import io.quarkus.arc.profile.UnlessBuildProfile;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ConflictException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ValidationException;

/**
 * The one place that chooses the provider: e-mail through SES, SMS through SNS or End User Messaging (otp.sms.sender),
 * calls through End User Messaging,
 * and tells a provider failure that sent nothing (an error answer) from one that may have sent (a timeout).
 */
@ApplicationScoped
@UnlessBuildProfile("dev")
public class AwsCourier implements Courier {

    private final Sender sms;
    private final Sender email;
    private final Instance<EndUserMessagingVoice> voice;
    private final Instance<EndUserMessagingFeedback> feedback;

    AwsCourier(OtpConfig config, SnsSms sns, SesEmail ses, Instance<EndUserMessagingSms> endUserMessagingSms,
            Instance<EndUserMessagingVoice> voice, Instance<EndUserMessagingFeedback> feedback) {
        this.voice = voice;
        this.sms = config.sms().sender() == SmsSender.END_USER_MESSAGING ? endUserMessagingSms.get() : sns;
        this.email = ses;
        this.feedback = feedback; // built on first use: an SNS-only deployment never creates the client
    }

    @Override
    public String deliver(OtpMessage message, Duration timeout) {
        // One attempt, as long as the request can wait: a timed-out attempt may have been delivered, so none is resent.
        // Quick refusals (throttling) are retried by the SDK within that time.
        Consumer<AwsRequestOverrideConfiguration.Builder> deadline = o -> o.apiCallTimeout(timeout)
                .apiCallAttemptTimeout(timeout);
        Sender sender = switch (message.channel()) {
            case EMAIL -> email;
            case SMS -> sms;
            case VOICE -> voice.get(); // calls exist only through End User Messaging, whichever the SMS sender
        };
        try {
            return sender.send(message, deadline);
        } catch (SdkServiceException e) { // the provider answered: it will not deliver this one
            throw new DeliveryFailedException(e.getClass().getSimpleName() + reason(e), e, true);
        } catch (SdkException e) { // a timeout or a broken connection: it may have gone out
            throw new DeliveryFailedException(e.getClass().getSimpleName(), e, false);
        }
    }

    @Override
    public CompletableFuture<Void> received(String messageId) {
        return feedback.get().received(messageId);
    }

    /** The provider's error code (ValidationException's reason, ...): never the request, which holds the code. */
    private static String reason(SdkServiceException e) {
        // End User Messaging says why it refused (PRICE_OVER_THRESHOLD, DESTINATION_PHONE_NUMBER_OPTED_OUT, ...)
        if (e instanceof ValidationException v && v.reason() != null) {
            return " (" + v.reasonAsString() + ")";
        }
        if (e instanceof ConflictException c && c.reason() != null) {
            return " (" + c.reasonAsString() + ")";
        }
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return " (" + aws.awsErrorDetails().errorCode() + ")";
        }
        return "";
    }
}
