package dev.otpgate.otp;

/**
 * How long a caller guessing a user's codes waits for that user (per (user, caller) since issue 22: another caller
 * of the user is not held; docs/limits-and-fraud.md "Users under attack"). NIST 800-63B
 * 5.2.2 and OWASP prefer growing delays to a hard lockout, which an attacker can use to shut a user out. The
 * first {@link #FREE} consecutive wrong codes set no wait: that is the hourly budget's default
 * (otp.limits.failed-guesses-per-hour), which answers first within an hour. From the {@link #FREE}th on, each
 * consecutive wrong code makes the next try (generate or validate) wait {@link #FIRST_WAIT_SECONDS}, doubled per
 * failure, at most {@link #LONGEST_WAIT_SECONDS}: reaching otp.limits.consecutive-failures (100) then takes more
 * than three days instead of five hours, and only that cap needs an operator.
 */
public final class GuessBackoff {

    /** The consecutive wrong code that sets the first wait. */
    public static final int FREE = 20;
    public static final long FIRST_WAIT_SECONDS = 60;
    public static final long LONGEST_WAIT_SECONDS = 3600;

    private GuessBackoff() {
    }

    /** Seconds to wait after the {@code consecutive}th consecutive wrong code; 0 below {@link #FREE}. */
    public static long waitAfter(long consecutive) {
        if (consecutive < FREE) {
            return 0;
        }
        long doublings = Math.min(consecutive - FREE, 30); // far past the longest wait, and no overflow
        return Math.min(FIRST_WAIT_SECONDS << doublings, LONGEST_WAIT_SECONDS);
    }
}
