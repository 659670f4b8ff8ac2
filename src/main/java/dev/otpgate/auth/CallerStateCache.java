package dev.otpgate.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import dev.otpgate.auth.CallerStore.TokenState;
import dev.otpgate.otp.ReadCache;

/**
 * What the TokenID check knows of each caller (still there? operator-locked? its TokenIDs valid after
 * when?), kept per function instance so that a TokenID costs at most one DynamoDB read per caller per
 * minute: an entry is used for {@link #FRESH_FOR} after it was read, then read again (otp/ReadCache).
 * That minute is the promise of docs/authentication.md: an operator action ends a caller's TokenIDs
 * within 60 s. A FORM or APIKEY login has just read the whole item, so it refreshes the entry for free.
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

    private final CallerStore callers;
    private final ReadCache<Key, Optional<TokenState>> entries;

    public CallerStateCache(CallerStore callers, Clock clock) {
        this.callers = callers;
        this.entries = new ReadCache<>(FRESH_FOR, MAX_ENTRIES, clock);
    }

    /** Whether the caller of this opened token still exists, is not locked, and issued the token after its TokensNotBefore. */
    public boolean admits(Tokens.Opened token) {
        Caller caller = token.caller();
        return state(caller.orgId(), caller.userName()).map(s -> s.admits(token.issuedAt())).orElse(false);
    }

    /** The caller's state as read less than a minute ago, or read now. */
    Optional<TokenState> state(String orgId, String userName) {
        return entries.get(new Key(orgId, userName), k -> callers.tokenState(k.orgId(), k.userName()));
    }

    /** The account a login has just read (strongly consistent): the TokenID it is given needs no read for a minute. */
    void remember(CallerAccount account, long readAt) {
        entries.put(new Key(account.orgId(), account.userName()), Optional.of(account.tokenState()), readAt);
    }
}
