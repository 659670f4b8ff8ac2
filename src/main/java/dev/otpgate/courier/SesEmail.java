package dev.otpgate.courier;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpMessage;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.ses.SesClient;

/** E-mail through SES: one SendEmail, plain text. */
@ApplicationScoped
class SesEmail implements Sender {

    private final SesClient ses;

    SesEmail(SesClient ses) {
        this.ses = ses;
    }

    @Override
    public String send(OtpMessage message, Consumer<AwsRequestOverrideConfiguration.Builder> deadline) {
        ses.sendEmail(r -> r.overrideConfiguration(deadline).source(message.emailSender())
                .destination(d -> d.toAddresses(message.destination()))
                .message(m -> m
                        .subject(c -> c.charset("UTF-8").data(message.subject()))
                        .body(b -> b.text(c -> c.charset("UTF-8").data(message.text())))));
        return null;
    }
}
