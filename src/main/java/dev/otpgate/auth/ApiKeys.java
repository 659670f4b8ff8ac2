package dev.otpgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API keys: {@code OGK1.<org>.<caller>.<keyId>.<secret>}, the organisation and caller name in
 * base64url, a short key id an operator can name the key by, and 256 random bits. The vendor's
 * clients send an APIKey with no user name, so the key says whose it is: one strongly consistent
 * GetItem on the caller finds its hash, expiry and revoked flag and the caller's grants together.
 * Only SHA-256 of the whole key is stored; a slow hash is not needed for 256 random bits.
 */
public final class ApiKeys {

    private static final String PREFIX = "OGK1";
    private static final int SECRET_BYTES = 32;
    private static final int MAX_LENGTH = 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();

    /** Whose key it claims to be; nothing is proven until its hash matches. */
    public record Parsed(String orgId, String userName, String keyId) {
    }

    /** A new key: shown once to the operator who made it, stored only as {@code sha256}. */
    public record Issued(String keyId, String key, String sha256) {

        @Override
        public String toString() {
            return "Issued[keyId=" + keyId + "]";
        }
    }

    public Issued issue(String orgId, String userName) {
        byte[] id = new byte[4];
        random.nextBytes(id);
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String key = String.join(".", PREFIX, b64(orgId), b64(userName), keyId, B64.encodeToString(secret));
        return new Issued(keyId, key, sha256(key));
    }

    public static Optional<Parsed> parse(String key) {
        if (key == null || key.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = key.split("\\.", -1);
        if (parts.length != 5 || !PREFIX.equals(parts[0]) || parts[3].isEmpty() || parts[4].isEmpty()) {
            return Optional.empty();
        }
        try {
            String org = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
            String user = new String(B64D.decode(parts[2]), StandardCharsets.UTF_8);
            return org.isEmpty() || user.isEmpty() ? Optional.empty() : Optional.of(new Parsed(org, user, parts[3]));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the key, hex: what the callers table holds. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether the key hashes to the stored hash, compared in constant time. */
    public static boolean matches(String key, String storedSha256) {
        return storedSha256 != null && MessageDigest.isEqual(
                sha256(key).getBytes(StandardCharsets.US_ASCII), storedSha256.getBytes(StandardCharsets.US_ASCII));
    }

    private static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
