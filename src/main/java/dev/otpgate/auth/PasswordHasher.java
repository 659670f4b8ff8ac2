package dev.otpgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import io.quarkus.runtime.Startup;

/**
 * Callers' passwords as Argon2id hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so that a stored hash carries its own
 * parameters and new ones can be raised without breaking old ones. The parameters are OWASP's
 * first choice for Argon2id (19 MiB, 2 passes, 1 lane); docs/authentication.md has the measured
 * cost per check. A bean made at start (@Startup): the dummy hash for unknown callers is computed
 * then, not on the first request, and the SecureRandom is created at run time, never in a static
 * initialiser a native image would freeze.
 */
@Singleton
@Startup
public class PasswordHasher {

    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";
    /** A stored hash asking for more than this is refused: a bad record must not exhaust the function's memory. */
    private static final int MAX_MEMORY_KIB = 256 * 1024;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    /** Argon2id checks made (real and dummy): the CPU an unauthenticated client can make this instance spend. */
    private final AtomicLong checks = new AtomicLong();
    /** What an unknown caller's password is checked against, so that it costs the same time as a known one. */
    private final String dummyHash;

    public PasswordHasher() {
        byte[] nothing = new byte[16];
        random.nextBytes(nothing);
        this.dummyHash = hash(B64.encodeToString(nothing));
    }

    /** A new salted hash of the password, for the operators' tooling. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return PREFIX + "m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(out);
    }

    /** Whether the password matches the stored hash; a malformed hash matches nothing. Constant-time compare. */
    public boolean verify(String password, String stored) {
        Phc phc = Phc.parse(stored);
        if (phc == null) {
            verifyDummy(password); // same time as a well-formed miss
            return false;
        }
        checks.incrementAndGet();
        byte[] actual = argon2(password, phc.salt, phc.memoryKib, phc.iterations, phc.parallelism, phc.hash.length);
        return MessageDigest.isEqual(phc.hash, actual);
    }

    /** How many checks this instance has made since it started. */
    public long checks() {
        return checks.get();
    }

    /** Spends what a real check spends, and matches nothing: for callers that do not exist. */
    public void verifyDummy(String password) {
        verify(password == null ? "" : password, dummyHash);
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
            int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** The fields of a PHC string, or null when it is not an Argon2id v19 hash we can check. */
    private record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

        static Phc parse(String s) {
            if (s == null || !s.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = s.substring(PREFIX.length()).split("\\$");
            if (parts.length != 3) {
                return null;
            }
            try {
                int m = 0;
                int t = 0;
                int p = 0;
                for (String kv : parts[0].split(",")) {
                    String[] pair = kv.split("=", 2);
                    int value = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = value;
                        case "t" -> t = value;
                        case "p" -> p = value;
                        default -> {
                            return null;
                        }
                    }
                }
                byte[] salt = B64D.decode(parts[1]);
                byte[] hash = B64D.decode(parts[2]);
                if (m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > 10 || p < 1 || p > 4 || salt.length < 8
                        || hash.length < 16) {
                    return null;
                }
                return new Phc(m, t, p, salt, hash);
            } catch (RuntimeException malformed) {
                return null;
            }
        }
    }
}
