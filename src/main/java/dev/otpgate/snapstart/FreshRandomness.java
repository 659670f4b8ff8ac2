package dev.otpgate.snapstart;

import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import sun.misc.Unsafe;

/**
 * ThreadLocalRandom after a SnapStart restore. Its state is a seed in each thread and a static seeder that gives new
 * threads theirs; both are in the snapshot, so every environment restored from one snapshot would draw the same
 * sequence: the AWS SDK's retry jitter ({@code BackoffStrategy.exponentialDelay} draws from
 * {@code ThreadLocalRandom::current}), the fraud guard's shard choice and its conflict pauses (DynamoOtpStore). It
 * has no API to reseed, so {@link #reseed()} writes fresh seeds, from a SecureRandom made after the restore (the
 * default NativePRNG mixes /dev/urandom into every output), into every live thread and into the seeder, through
 * sun.misc.Unsafe (module jdk.unsupported; no --add-opens needed). Codes, TokenID nonces and TransactionIDs never
 * come from ThreadLocalRandom (SecureRandom: OtpCodes, Tokens, UUID.randomUUID).
 */
public final class FreshRandomness {

    private static final Logger LOG = Logger.getLogger(FreshRandomness.class);

    private FreshRandomness() {
    }

    /** Reseeds ThreadLocalRandom in every live thread and for threads to come; false if this JVM does not allow it. */
    public static boolean reseed() {
        try {
            Unsafe unsafe = unsafe();
            long seedOffset = unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomSeed"));
            AtomicLong seeder = seeder();
            SecureRandom fresh = new SecureRandom();
            seeder.set(fresh.nextLong());
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                unsafe.putLong(t, seedOffset, fresh.nextLong());
            }
            unsafe.putLong(Thread.currentThread(), seedOffset, fresh.nextLong());
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debugf("ThreadLocalRandom not reseeded: %s", e);
            return false;
        }
    }

    /** The current thread's ThreadLocalRandom seed (for the test that shows the reseeding). */
    static long seedOfCurrentThread() throws ReflectiveOperationException {
        Unsafe unsafe = unsafe();
        return unsafe.getLong(Thread.currentThread(),
                unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomSeed")));
    }

    /** Puts a seed back into the current thread, as a second restore of the same snapshot would find it. */
    static void restoreSeedOfCurrentThread(long seed) throws ReflectiveOperationException {
        Unsafe unsafe = unsafe();
        unsafe.putLong(Thread.currentThread(),
                unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomSeed")), seed);
    }

    /** The static seeder that new threads take their seed from (for the test). */
    static AtomicLong seeder() throws ReflectiveOperationException {
        Unsafe unsafe = unsafe();
        Field seederField = ThreadLocalRandom.class.getDeclaredField("seeder");
        return (AtomicLong) unsafe.getObject(unsafe.staticFieldBase(seederField), unsafe.staticFieldOffset(seederField));
    }

    private static Unsafe unsafe() throws ReflectiveOperationException {
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (Unsafe) f.get(null);
    }
}
