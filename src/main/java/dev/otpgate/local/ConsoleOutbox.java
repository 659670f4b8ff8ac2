package dev.otpgate.local;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.otpgate.courier.Templates;
import dev.otpgate.otp.Channel;
import dev.otpgate.otp.Courier;
import dev.otpgate.otp.Masking;
import dev.otpgate.otp.OtpConfig;
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

    private final OtpConfig config;

    ConsoleOutbox(OtpConfig config) {
        this.config = config;
    }

    @Override
    public void deliver(OtpMessage message) {
        String to = Masking.destination(message.channel(), message.destination());
        if (message.channel() == Channel.SMS) {
            LOG.infof("[console outbox] SMS to %s: %s", to, Templates.body(config.sms().template(), message));
        } else {
            LOG.infof("[console outbox] E-mail to %s, subject \"%s\": %s", to, config.email().subject(),
                    Templates.body(config.email().template(), message));
        }
    }
}
