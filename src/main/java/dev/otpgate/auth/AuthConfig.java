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

    /**
     * The per-caller total: wrong passwords from all sources together in one window (sources with a recent
     * right password apart). The ceiling is {@link #checksPastCeiling()} below it: past the ceiling, a source
     * with wrong passwords of its own is refused until the window ends, and sources with none are still
     * checked, at most {@link #ceilingChecksPerMinute()} a minute per address range, until the total is reached.
     */
    @WithDefault("100")
    @Min(1) @Max(100) // NIST 800-63B 5.2.2 and ASVS 2.2.1: at most 100
    int maxFailures();

    /** The window the ceiling counts in, from the first wrong password: a minute to a day (AuthPolicyCheck). */
    @WithDefault("PT1H")
    Duration failureWindow();

    /** Wrong passwords one source (an IPv4 address, an IPv6 /64) may send a caller before it is slowed down. */
    @WithDefault("3")
    @Min(1) @Max(10)
    int freeFailuresPerSource();

    /** The wait after a source's last free wrong password; it doubles with each further one: 1 to 60 seconds. */
    @WithDefault("PT1S")
    Duration firstDelay();

    /** The longest wait between a source's attempts: first-delay to an hour (AuthPolicyCheck). */
    @WithDefault("PT15M")
    Duration maxDelay();

    /** With the ceiling reached: password checks per minute for sources with no wrong password of their own. */
    @WithDefault("5")
    @Min(1) @Max(60)
    int ceilingChecksPerMinute();

    /**
     * Of the {@link #maxFailures()} wrong passwords a window allows in total, how many are kept for sources with
     * no wrong password of their own once the ceiling (max-failures minus these) is reached, at most
     * {@link #ceilingChecksPerMinute()} a minute per address range: the total stays max-failures however many
     * ranges an attacker has (issue 22, finding 7). Sources with a recent right password are checked apart.
     */
    @WithDefault("30")
    @Min(1) @Max(99)
    int checksPastCeiling();

    /**
     * FORM logins a minute from one address range (IPv4 /24, IPv6 /48) per function instance, checked before
     * any write or password check (LoginGate); up to that many at once.
     */
    @WithDefault("20")
    @Min(1) @Max(1000)
    int loginsPerRangePerMinute();
}
