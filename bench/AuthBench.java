import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.CallerAccount;
import dev.otpgate.auth.CallerStateCache;
import dev.otpgate.auth.CallerStore;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.auth.Tokens;

/**
 * What each way of authenticating costs in CPU, with the classes the function uses (no JMH, no
 * JUnit: a plain single-file program). How to run it and the figures: bench/README.md.
 */
public class AuthBench {

    public static void main(String[] args) {
        int passwordRounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int fastRounds = 200_000;

        PasswordHasher hasher = new PasswordHasher();
        String stored = hasher.hash("XXXX@123");
        time("FORM: Argon2id verify, right password", passwordRounds, 5, () -> check(hasher.verify("XXXX@123", stored)));
        time("FORM: Argon2id verify, wrong password", passwordRounds, 5, () -> check(!hasher.verify("XXXX@124", stored)));
        time("FORM: unknown caller (dummy hash)", passwordRounds, 5, () -> hasher.verifyDummy("XXXX@123"));

        ApiKeys.Issued key = new ApiKeys().issue("1", "svc@sum.com");
        time("APIKEY: parse + SHA-256 + constant-time compare", fastRounds, 20_000,
                () -> check(ApiKeys.parse(key.key()).isPresent() && ApiKeys.matches(key.key(), key.sha256())));

        Tokens tokens = new Tokens("YmVuY2ggdG9rZW4ga2V5IC0gbm90IGEgc2VjcmV0IC0gMDEyMzQ1");
        Caller caller = new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null, Set.of("1"));
        String token = tokens.issue(caller, Instant.now(), Instant.now().plusSeconds(6000));
        time("TokenID: issue (AES-256-GCM)", fastRounds, 20_000, () -> check(tokens.issue(caller,
                Instant.now(), Instant.now().plusSeconds(6000)).length() > 100));
        time("TokenID: open and check (AES-256-GCM)", fastRounds, 20_000, () -> check(tokens.open(token).isPresent()));

        // The caller-state check on top, as Authenticator makes it: the cache is warm after the first
        // call (the store below stands in for the one DynamoDB read a minute and counts the reads).
        AtomicInteger reads = new AtomicInteger();
        CallerStateCache states = new CallerStateCache(new OneCaller(reads), Clock.systemUTC());
        Tokens.Opened opened = tokens.open(token).orElseThrow();
        time("TokenID: open + caller state, warm cache", fastRounds, 20_000,
                () -> check(tokens.open(token).map(states::admits).orElse(false)));
        time("TokenID: caller state alone, warm cache", fastRounds, 20_000, () -> check(states.admits(opened)));
        // One call is near System.nanoTime's resolution: time batches of calls as well.
        int batch = 1_000;
        time("TokenID: caller state, warm cache, x" + batch, 20_000, 2_000, () -> {
            for (int i = 0; i < batch; i++) {
                check(states.admits(opened));
            }
        });
        System.out.println("Caller-state reads during the TokenID lines: " + reads.get()
                + " (one a minute per caller; the run took less than a minute)");
        System.out.println("TokenID length: " + token.length() + " hex characters");
    }

    /** A callers table with one caller whose tokens are all valid; counts the reads the cache makes. */
    record OneCaller(AtomicInteger reads) implements CallerStore {

        @Override
        public Optional<TokenState> tokenState(String orgId, String userName) {
            reads.incrementAndGet();
            return Optional.of(new TokenState(0, false));
        }

        @Override
        public Optional<CallerAccount> find(String orgId, String userName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PasswordAttempt beginPasswordAttempt(String orgId, String userName, String source, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void passwordAccepted(PasswordAttempt attempt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Lockout passwordRejected(PasswordAttempt attempt, Instant now) {
            throw new UnsupportedOperationException();
        }
    }

    static void time(String what, int rounds, int warmUp, Runnable task) {
        for (int i = 0; i < warmUp; i++) {
            task.run();
        }
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            task.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("%-50s median %10s  p90 %10s  (%d runs)%n", what, show(nanos[rounds / 2]),
                show(nanos[rounds * 9 / 10]), rounds);
    }

    static String show(long nanos) {
        return nanos >= 1_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.1f µs", nanos / 1e3);
    }

    static void check(boolean ok) {
        if (!ok) {
            throw new AssertionError("the check gave the wrong answer");
        }
    }
}
