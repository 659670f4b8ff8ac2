import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
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

        Tokens tokens = new Tokens("bench-token-key-not-a-secret-0123456789abcdef");
        Caller caller = new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null, Set.of("1"));
        String token = tokens.issue(caller, Instant.now().plusSeconds(6000));
        time("TokenID: issue (AES-256-GCM)", fastRounds, 20_000, () -> check(tokens.issue(caller,
                Instant.now().plusSeconds(6000)).length() > 100));
        time("TokenID: open and check (AES-256-GCM)", fastRounds, 20_000, () -> check(tokens.open(token).isPresent()));
        System.out.println("TokenID length: " + token.length() + " hex characters");
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
