package dev.otpgate.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How callers prove who they are (prefix {@code otp.auth}); checked at start-up like OtpConfig. */
@ConfigMapping(prefix = "otp.auth")
public interface AuthConfig {

    /**
     * The secret the TokenIDs are encrypted and authenticated with (AES-256-GCM, key derived from it):
     * base64 of at least 32 random bytes (SecretKeys, checked at start), from a secret store in AWS.
     * Changing it ends every TokenID at once.
     */
    String tokenKey();

    /** How long a TokenID is good for: 1 minute to 24 hours (AuthPolicyCheck); the vendor's tokens last 6000 s. */
    @WithDefault("PT100M")
    Duration tokenValidity();

    /** Wrong passwords a caller may send per window before FORM is refused until the window ends. */
    @WithDefault("5")
    @Min(1) @Max(100) // NIST 800-63B 5.2.2 and ASVS 2.2.1: at most 100
    int maxFailures();

    /** The window the failures are counted in: at least a minute (AuthPolicyCheck). */
    @WithDefault("PT15M")
    Duration failureWindow();
}
