package dev.otpgate.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.otpgate.auth.CallerStore.TokenState;

/**
 * What the TokenID check knows of each caller (still there? operator-locked? its TokenIDs valid after
 * when?), kept per function instance so that a TokenID costs at most one DynamoDB read per caller per
 * minute: an entry is used for {@link #FRESH_FOR} after it was read, then read again. That minute is
 * the promise of README "Authentication": an operator action ends a caller's TokenIDs within 60 s.
 * A FORM or APIKEY login has just read the whole item, so it refreshes the entry for free.
 *
 * <p>Why a small map and not quarkus-cache (Caffeine): its expiry runs on Caffeine's own nanosecond
 * ticker, which the function's injected {@link Clock} cannot move, so tests would have to sleep a
 * minute, and its API is asynchronous (Uni) for a lookup that is a map read when warm. Freshness is
 * therefore judged here with the Clock (read time stored in the entry; an entry "from the future",
 * after the clock went back, counts as stale), and what is left is a bound on the size, which a
 * ConcurrentHashMap does well enough: an entry is worthless after a minute anyway, so when the map is
 * full the stale entries go, and if that is not enough, all of them (the cost: one read per caller).
 *
 * <p>A miss is read inside {@link ConcurrentHashMap#compute}, so concurrent requests for the same
 * caller wait for one read instead of making several. A Lambda instance serves one request at a
 * time, so nothing waits there; in a JVM serving many requests, a read blocks only the other misses
 * of its hash bin, for one DynamoDB round trip once a minute.
 */
public final class CallerStateCache {

    /** How long a read of a caller's state is used: the bound on how late a TokenID ends. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(60);
    /**
     * A few hundred bytes an entry, so a few MB at most: far more callers than one instance sees in a
     * minute. Only TokenIDs that opened (made with the token key) reach the cache, so nobody can fill it
     * with made-up names.
     */
    static final int MAX_ENTRIES = 20_000;

    private record Key(String orgId, String userName) {
    }

    /** A read: the caller's state, empty when there is no such caller, and when it was read (epoch ms). */
    private record Entry(Optional<TokenState> state, long readAt) {
    }

    private final CallerStore callers;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    public CallerStateCache(CallerStore callers, Clock clock) {
        this.callers = callers;
        this.clock = clock;
    }

    /** Whether the caller of this opened token still exists, is not locked, and issued the token after its TokensNotBefore. */
    public boolean admits(Tokens.Opened token) {
        Caller caller = token.caller();
        return state(caller.orgId(), caller.userName()).map(s -> s.admits(token.issuedAt())).orElse(false);
    }

    /** The caller's state as read less than a minute ago, or read now. */
    Optional<TokenState> state(String orgId, String userName) {
        Key key = new Key(orgId, userName);
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (fresh(entry, now)) {
            return entry.state();
        }
        entry = entries.compute(key, (k, current) -> fresh(current, now) ? current
                : new Entry(callers.tokenState(k.orgId(), k.userName()), now));
        trim(now);
        return entry.state();
    }

    /** The account a login has just read (strongly consistent): the TokenID it is given needs no read for a minute. */
    void remember(CallerAccount account, long readAt) {
        entries.put(new Key(account.orgId(), account.userName()), new Entry(Optional.of(account.tokenState()), readAt));
        trim(readAt);
    }

    private static boolean fresh(Entry entry, long now) {
        return entry != null && now >= entry.readAt() && now - entry.readAt() < FRESH_FOR.toMillis();
    }

    private void trim(long now) {
        if (entries.size() > MAX_ENTRIES) {
            entries.values().removeIf(e -> !fresh(e, now));
            if (entries.size() > MAX_ENTRIES) {
                entries.clear();
            }
        }
    }
}
