package dev.otpgate.otp;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values read from DynamoDB, kept per function instance and used for a fixed time after they were read,
 * then read again: the bound on how late a change made by an operator takes effect (a caller's TokenIDs
 * ended, an organisation's settings). Time is the injected {@link Clock}, so tests move it instead of
 * sleeping; an entry "from the future", after the clock went back, counts as stale.
 *
 * <p>Why not quarkus-cache (Caffeine): its expiry runs on Caffeine's own ticker, which the Clock cannot
 * move, and its API is asynchronous for what is a map read when warm. A miss is read inside
 * {@link ConcurrentHashMap#compute}, so concurrent requests for one key wait for one read. The size is
 * bounded: an entry is worthless once stale, so a full map drops the stale ones, and if that is not
 * enough, all of them (the cost: one read per key).
 */
public final class ReadCache<K, V> {

    private record Entry<V>(V value, long readAt) {
    }

    private final Duration freshFor;
    private final int maxEntries;
    private final Clock clock;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public ReadCache(Duration freshFor, int maxEntries, Clock clock) {
        this.freshFor = freshFor;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value read less than {@code freshFor} ago, or read now with {@code read}. */
    public V get(K key, Function<K, V> read) {
        long now = clock.millis();
        Entry<V> entry = entries.get(key);
        if (fresh(entry, now)) {
            return entry.value();
        }
        entry = entries.compute(key, (k, current) -> fresh(current, now) ? current : new Entry<>(read.apply(k), now));
        trim(now);
        return entry.value();
    }

    /** A value just read by other means (strongly consistent): it is good for {@code freshFor} from {@code readAt}. */
    public void put(K key, V value, long readAt) {
        entries.put(key, new Entry<>(value, readAt));
        trim(readAt);
    }

    private boolean fresh(Entry<V> entry, long now) {
        return entry != null && now >= entry.readAt() && now - entry.readAt() < freshFor.toMillis();
    }

    private void trim(long now) {
        if (entries.size() > maxEntries) {
            entries.values().removeIf(e -> !fresh(e, now));
            if (entries.size() > maxEntries) {
                entries.clear();
            }
        }
    }
}
