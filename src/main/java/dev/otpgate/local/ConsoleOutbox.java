package dev.otpgate.local;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.Courier;
import dev.otpgate.otp.Masking;
import dev.otpgate.otp.OtpMessage;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The local run's stand-in for the phone and the mailbox: prints each message, code included, to
 * the console. Only in the dev profile; the packaged function has AwsCourier instead.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class ConsoleOutbox implements Courier {

    private static final Logger LOG = Logger.getLogger("outbox");

    @Override
    public String deliver(OtpMessage message, java.time.Duration timeout) {
        String to = Masking.destination(message.channel(), message.destination());
        if (message.channel() == Channel.SMS) {
            LOG.infof("[console outbox] SMS to %s: %s", to, message.text());
        } else if (message.channel() == Channel.VOICE) {
            LOG.infof("[console outbox] Call to %s, voice %s: %s", to, message.voice(), message.text());
        } else {
            LOG.infof("[console outbox] E-mail from %s to %s, subject \"%s\": %s", message.emailSender(), to,
                    message.subject(), message.text());
        }
        return null;
    }
}
