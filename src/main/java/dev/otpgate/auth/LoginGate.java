package dev.otpgate.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an unauthenticated client can cost, bounded before anything is written or hashed: every FORM login
 * takes a token from its address range's bucket (an IPv4 /24, an IPv6 /48), refilled at
 * {@code otp.auth.logins-per-range-per-minute} a minute up to that many. Without it, each made-up login name
 * cost an item in the limits table and an Argon2id check. In memory, per function instance: a counter in
 * DynamoDB would itself be the write to bound; a flood spread over instances is bounded by their number,
 * and per client at the edge by a rate-based WAF rule (docs/deploy.md).
 */
@ApplicationScoped
public class LoginGate {

    /** About 100 bytes a range, so 1 MB at most; the least recently seen range is forgotten first. */
    static final int MAX_RANGES = 10_000;

    private final Clock clock;
    private final double capacity;
    private final double perMilli;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_RANGES;
        }
    };

    private static final class Bucket {
        double tokens;
        long at;
    }

    LoginGate(AuthConfig config, Clock clock) {
        this.clock = clock;
        this.capacity = config.loginsPerRangePerMinute();
        this.perMilli = capacity / 60_000.0;
    }

    /** Takes a login from the range's bucket: 0 when it may go on, else the seconds until one is left. */
    public synchronized long take(String range) {
        long now = clock.millis();
        Bucket b = buckets.computeIfAbsent(range, r -> {
            Bucket fresh = new Bucket();
            fresh.tokens = capacity;
            fresh.at = now;
            return fresh;
        });
        b.tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.at) * perMilli);
        b.at = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - b.tokens) / perMilli / 1000));
    }
}
