package dev.otpgate.secrets;

import java.util.Base64;

/**
 * The secret keys ({@code otp.hmac-key}, {@code otp.auth.token-key}) are written as base64, standard or
 * URL-safe alphabet, padding optional, and must decode to at least 32 bytes: 256 bits of key material,
 * not 32 typed characters (a 32-letter password holds far fewer bits). {@code openssl rand -base64 32}
 * makes one. The messages name the key and the bound, never the value.
 */
public final class SecretKeys {

    public static final int MIN_BYTES = 32;

    private SecretKeys() {
    }

    /** The key's bytes, or an IllegalStateException that stops the start. */
    public static byte[] decode(String property, String value) {
        if (value == null || value.isBlank()) {
            throw refused(property, "it is not set");
        }
        String text = value.strip();
        byte[] key;
        try {
            key = (text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(text);
        } catch (IllegalArgumentException notBase64) {
            throw refused(property, "it is not base64");
        }
        if (key.length < MIN_BYTES) {
            throw refused(property, "it decodes to " + key.length + " bytes");
        }
        return key;
    }

    private static IllegalStateException refused(String property, String why) {
        return new IllegalStateException(property + " must be base64 of at least " + MIN_BYTES + " random bytes ("
                + MIN_BYTES * 8 + " bits), such as the output of `openssl rand -base64 32`; " + why);
    }
}
