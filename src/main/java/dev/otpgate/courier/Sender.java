package dev.otpgate.courier;

import java.util.function.Consumer;

import dev.otpgate.otp.OtpMessage;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/** One provider on one channel: SNS SMS, End User Messaging SMS or voice, SES e-mail. */
interface Sender {

    /**
     * One send within {@code deadline} (the request's time limits); SDK exceptions pass through (AwsCourier sorts them).
     *
     * @return the provider's MessageId when it can be given feedback for later, else null
     */
    String send(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline);
}
