package dev.otpgate.otp;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.otpgate.secrets.SecretKeys;
import io.quarkus.runtime.StartupEvent;

/** The bounds a @ConfigMapping annotation cannot express, checked once at start (cold start). */
@ApplicationScoped
public class PolicyCheck {

    static final Duration MAX_VALIDITY = Duration.ofMinutes(10); // NIST 800-63B 5.1.3, ASVS 2.7

    void check(@Observes StartupEvent event, OtpConfig config) {
        check(config);
    }

    /** Throws IllegalStateException, naming the key and its bound, for the first setting out of bounds. */
    public static void check(OtpConfig config) {
        SecretKeys.decode("otp.hmac-key", config.hmacKey());
        require(!config.validity().isNegative() && config.validity().compareTo(Duration.ofMinutes(1)) >= 0
                && config.validity().compareTo(MAX_VALIDITY) <= 0, "otp.validity must be 1 to 10 minutes");
        require(Policy.deploymentChannels(config).contains(config.channel()), "otp.channel must be one of otp.channels");
        require(config.defaultLocale().map(OrgSettings::wellFormedLocale).orElse(true),
                "otp.default-locale must be a BCP 47 tag, such as de-DE");
        OtpConfig.Limits limits = config.limits();
        require(limits.sendCooldown().toSeconds() >= 0, "otp.limits.send-cooldown must not be negative");
        require(limits.sendWindow().toSeconds() >= 60, "otp.limits.send-window must be at least a minute");
        require(limits.sendCooldown().compareTo(limits.sendWindow()) <= 0,
                "otp.limits.send-cooldown must not be longer than otp.limits.send-window");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
