package dev.otpgate.otp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The AWS region this function runs in, and the home of the codes it issues (docs/regions.md "A code stays home"):
 * a code is checked and consumed only in the region that stored it, because otp-transactions and otp-limits are
 * regional tables, and because a global table's conditions would hold in one region only. A TransactionID says
 * its home: a UUID string (RFC 9562 version 8) whose first 32 bits are the region's tag (the first 4 bytes of
 * SHA-256 of its name) and whose other 90 bits are random (from {@link UUID#randomUUID()}, SecureRandom). A code
 * presented in another region is refused without a read; a version-4 id (from before regions) is looked up here.
 */
public final class HomeRegion {

    private static final long VERSION_MASK = 0xF000L;
    private static final long VERSION_8 = 0x8000L;

    private final String name;
    private final long tag;

    public HomeRegion(String name) {
        this.name = name;
        this.tag = tag(name);
    }

    /** The region's name (us-east-1). */
    public String name() {
        return name;
    }

    /** A fresh TransactionID issued in this region. */
    public String newTransactionId() {
        UUID random = UUID.randomUUID();
        long msb = (tag << 32) | (random.getMostSignificantBits() & 0xFFFF_0FFFL) | VERSION_8;
        return new UUID(msb, random.getLeastSignificantBits()).toString();
    }

    /** True when the TransactionID was issued by another region: it cannot be checked here. */
    public boolean issuedElsewhere(String transactionId) {
        UUID id;
        try {
            id = UUID.fromString(transactionId);
        } catch (IllegalArgumentException notAUuid) {
            return false; // not one of ours at all: the lookup answers it as unknown
        }
        if (!transactionId.equalsIgnoreCase(id.toString()) || (id.getMostSignificantBits() & VERSION_MASK) != VERSION_8) {
            return false;
        }
        return (id.getMostSignificantBits() >>> 32) != tag;
    }

    static long tag(String region) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(region.getBytes(StandardCharsets.UTF_8));
            return ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "HomeRegion[" + name + "]";
    }
}
