package dev.otpgate.otp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.secrets.SecretKeys;

/**
 * Makes codes and their keyed hashes. The hash binds the code to its transaction, so a stored hash
 * says nothing about any other transaction, and without the key a 6-digit code cannot be brute
 * forced offline from a leaked table. The SecureRandom is created with the bean, at run time, never
 * in a static initialiser that a native image would freeze.
 */
@ApplicationScoped
public class OtpCodes {

    private static final String HMAC = "HmacSHA256";

    /** The bounds of every code length an organisation may choose (NIST 800-63B: at least 6 digits). */
    public static final int MIN_LENGTH = 6;
    public static final int MAX_LENGTH = 10;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    OtpCodes(OtpConfig config) {
        this.key = new SecretKeySpec(SecretKeys.decode("otp.hmac-key", config.hmacKey()), HMAC);
    }

    /** A fresh code: {@code length} uniformly random decimal digits (leading zeros kept). */
    public String newCode(int length) {
        char[] digits = new char[length];
        for (int i = 0; i < length; i++) {
            digits[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(digits);
    }

    /** HMAC-SHA256(key, transactionId ":" code), hex. */
    public String hash(String transactionId, String code) {
        return hmacHex(transactionId + ':' + code);
    }

    /**
     * A keyed hash that stands for a destination in the limits table, so no number or address is stored
     * there. One mailbox is one destination however it is spelt: an e-mail address is counted trimmed and
     * lower-cased as a whole. RFC 5321 lets a local part be case-sensitive, but no mainstream provider
     * makes it so, and for a limit the safe error is to count two spellings together, never apart.
     * Phone numbers arrive here in E.164 already (SmsCountryGuard).
     */
    public String fingerprint(Channel channel, String destination) {
        String canonical = channel == Channel.EMAIL ? destination.trim().toLowerCase(java.util.Locale.ROOT) : destination;
        return hmacHex("destination:" + channel + ':' + canonical);
    }

    /** True if the typed code is {@code length} decimal digits, and nothing else. */
    public static boolean wellFormed(String typedCode, int length) {
        return typedCode != null && typedCode.length() == length && digits(typedCode);
    }

    /** True if the text is one or more decimal digits (ASCII), and nothing else. */
    public static boolean digits(String text) {
        return text != null && !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private String hmacHex(String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(
                    mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Compares in constant time, whatever the typed code looks like. */
    public boolean matches(String transactionId, String typedCode, String storedHash) {
        byte[] expected = storedHash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(transactionId, typedCode).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
