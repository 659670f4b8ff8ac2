package dev.otpgate.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.otpgate.secrets.SecretKeys;

/**
 * TokenIDs that carry their own proof: AES-256-GCM over (expiry, issue time, organisation, caller,
 * grants), with a random 96-bit nonce, as uppercase hex like the vendor's. Opening one costs no AWS
 * call. GCM's 128-bit tag makes any change to a token, or a token made without the key, fail to open;
 * the content is encrypted, so a token tells its holder nothing. The issue time lets the caller's
 * TokensNotBefore end the tokens issued before an operator action (Authenticator checks it through
 * CallerStateCache); ending every token at once means changing {@code otp.auth.token-key}
 * (docs/authentication.md). Version 2 added the issue time: a version 1 token is refused, its client
 * authenticates again.
 */
public final class Tokens {

    private static final byte VERSION = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_HEX_LENGTH = 4096;
    private static final byte[] AAD = "otp-gate TokenID v2".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** A token's content once opened; {@code issuedAt} has millisecond precision. */
    public record Opened(Caller caller, Instant issuedAt, Instant expiresAt) {
    }

    public Tokens(String configuredKey) {
        this.key = new SecretKeySpec(derive(configuredKey), "AES");
    }

    public String issue(Caller caller, Instant issuedAt, Instant expiresAt) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(content(caller, issuedAt, expiresAt));
            byte[] token = new byte[1 + NONCE_BYTES + sealed.length];
            token[0] = VERSION;
            System.arraycopy(nonce, 0, token, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, token, 1 + NONCE_BYTES, sealed.length);
            return HexFormat.of().withUpperCase().formatHex(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The token's content, or empty when it is malformed, altered, or not made with this key. Expiry is the caller's to check. */
    public Optional<Opened> open(String tokenId) {
        if (tokenId == null || tokenId.length() > MAX_HEX_LENGTH || tokenId.length() % 2 != 0) {
            return Optional.empty();
        }
        byte[] token;
        try {
            token = HexFormat.of().parseHex(tokenId);
        } catch (IllegalArgumentException notHex) {
            return Optional.empty();
        }
        if (token.length < 1 + NONCE_BYTES + TAG_BITS / 8 || token[0] != VERSION) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, token, 1, NONCE_BYTES));
            cipher.updateAAD(AAD);
            byte[] content = cipher.doFinal(token, 1 + NONCE_BYTES, token.length - 1 - NONCE_BYTES);
            return Optional.of(read(content));
        } catch (javax.crypto.AEADBadTagException tampered) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } catch (IOException | RuntimeException unreadable) { // authentic but not ours to read: refuse
            return Optional.empty();
        }
    }

    private static byte[] content(Caller caller, Instant issuedAt, Instant expiresAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(expiresAt.getEpochSecond());
            out.writeLong(issuedAt.toEpochMilli());
            out.writeUTF(caller.orgId());
            out.writeUTF(caller.userName());
            out.writeUTF(caller.selfDomainId() == null ? "" : caller.selfDomainId());
            out.writeUTF(caller.selfUserId() == null ? "" : caller.selfUserId());
            out.writeShort(caller.generateForDomains().size());
            for (String domain : caller.generateForDomains().stream().sorted().toList()) {
                out.writeUTF(domain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Opened read(byte[] content) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            Instant issuedAt = Instant.ofEpochMilli(in.readLong());
            String org = in.readUTF();
            String user = in.readUTF();
            String selfDomain = in.readUTF();
            String selfUser = in.readUTF();
            int n = in.readUnsignedShort();
            Set<String> domains = new HashSet<>();
            for (int i = 0; i < n; i++) {
                domains.add(in.readUTF());
            }
            return new Opened(new Caller(org, user, AuthMethod.TOKEN, selfDomain.isEmpty() ? null : selfDomain,
                    selfUser.isEmpty() ? null : selfUser, domains), issuedAt, expiresAt);
        }
    }

    /** The AES-256 key: HMAC-SHA256 of a fixed label under the configured secret (a one-step KDF). */
    private static byte[] derive(String configuredKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SecretKeys.decode("otp.auth.token-key", configuredKey), "HmacSHA256"));
            byte[] derived = mac.doFinal("otp-gate TokenID key".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(derived, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
