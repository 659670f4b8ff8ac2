package dev.otpgate.auth;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.otpgate.secrets.SecretKeys;
import io.quarkus.runtime.StartupEvent;

/** The bounds of {@link AuthConfig} an annotation cannot express, checked once at start (cold start). */
@ApplicationScoped
public class AuthPolicyCheck {

    /** A shorter window is no lockout at all: the count would reset before a guesser slows down. */
    static final Duration MIN_FAILURE_WINDOW = Duration.ofMinutes(1);
    /** A TokenID is a bearer credential: a day at most, so a leaked one does not work for long. */
    static final Duration MAX_TOKEN_VALIDITY = Duration.ofHours(24);

    void check(@Observes StartupEvent event, AuthConfig config) {
        check(config);
    }

    /** Throws IllegalStateException, naming the key and its bound, for the first setting out of bounds. */
    public static void check(AuthConfig config) {
        SecretKeys.decode("otp.auth.token-key", config.tokenKey());
        require(config.failureWindow().compareTo(MIN_FAILURE_WINDOW) >= 0
                && config.failureWindow().compareTo(Duration.ofDays(1)) <= 0,
                "otp.auth.failure-window must be a minute to a day (PT1M to PT24H)");
        require(config.firstDelay().compareTo(Duration.ofSeconds(1)) >= 0
                && config.firstDelay().compareTo(Duration.ofMinutes(1)) <= 0,
                "otp.auth.first-delay must be 1 to 60 seconds (PT1S to PT1M)");
        require(config.maxDelay().compareTo(config.firstDelay()) >= 0
                && config.maxDelay().compareTo(Duration.ofHours(1)) <= 0,
                "otp.auth.max-delay must be otp.auth.first-delay to an hour (at most PT1H)");
        require(config.tokenValidity().compareTo(Duration.ofMinutes(1)) >= 0
                && config.tokenValidity().compareTo(MAX_TOKEN_VALIDITY) <= 0,
                "otp.auth.token-validity must be 1 minute to 24 hours (PT1M to PT24H)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
