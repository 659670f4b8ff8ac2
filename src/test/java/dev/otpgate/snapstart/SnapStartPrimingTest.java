package dev.otpgate.snapstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.otp.OtpCodes;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Recorded;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * SnapStart priming (the hooks Lambda's java runtime calls around the snapshot): it goes through the endpoint and
 * the AWS SDK but reaches no AWS service (nothing read, written or sent), and it leaves no random state behind for
 * the environments restored from one snapshot to share: no SecureRandom holder, no cached read of the stand-in, and
 * a ThreadLocalRandom (the SDK's retry jitter) reseeded at each restore. Test mode only (it reaches into beans);
 * bench/PackageBench's snapstart mode measures what it buys.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SnapStartPrimingTest extends FunctionTest {

    @Inject
    SnapStartPriming priming;

    /** First: it counts the priming caller's read, which a priming before it leaves cached (60 s). */
    @Test
    @org.junit.jupiter.api.Order(1)
    void primingRunsTheWholeRequestPathButReachesNoAwsService() {
        String stored = data.everything();
        int transactions = data.transactionCount();

        SnapStartPriming.Result r = priming.prime(3);

        assertEquals(Map.of(200, 3), r.statuses().get(SummitEndpoint.GENERATE), "generate by SMS, answered: " + r);
        assertEquals(Map.of(200, 1), r.statuses().get(SummitEndpoint.GENERATE + " (e-mail)"), "by e-mail: " + r);
        assertEquals(Map.of(404, 3), r.statuses().get(SummitEndpoint.VALIDATE), "an unknown TransactionID: " + r);
        for (String call : List.of("DynamoDb.GetItem otp-callers", "DynamoDb.GetItem otp-users",
                "DynamoDb.GetItem otp-transactions", "DynamoDb.TransactWriteItems otp-limits", "Sns.Publish", "Ses.SendEmail")) {
            assertTrue(r.awsCalls().contains(call), "the SDK made " + call + " (to the stand-in): " + r.awsCalls());
        }
        assertEquals(0, Recorded.all(aws), "nothing sent");
        assertEquals(List.of(), AwsCallCounter.callsWithTables(), "no call reached DynamoDB");
        assertEquals(transactions, data.transactionCount(), "no transaction stored");
        assertEquals(stored, data.everything(), "nothing written to any table");
        assertFalse(PrimingRedirect.active(), "the AWS clients reach AWS again");

        Flows.generate(aws); // and the next real call does
        assertEquals(1, Recorded.all(aws), "a real generate after the priming sends its code");
    }

    /**
     * Issue 16, finding 7: while the priming's redirect was on, ANY request in the JVM went to the stand-in (a
     * TokenID of a caller that does not exist was admitted). Only the priming's own calls may be redirected.
     */
    @Test
    void aRequestThatIsNotThePrimingsReachesAwsWhileTheRedirectIsOn() throws Exception {
        String token = "a-priming-token";
        try (CannedAws standIn = new CannedAws(AwsLocalResource.CALLERS, AwsLocalResource.USERS, "1", "+14155550142",
                token)) {
            PrimingRedirect.redirectTo(standIn.endpoint(), token);
            try {
                Flows.generate(aws);
            } finally {
                PrimingRedirect.stop();
            }
            assertEquals(List.of(), standIn.calls(), "the stand-in answered a request that was not the priming's");
            // and a call that reaches the stand-in without the priming's token gets no canned answer
            java.net.http.HttpResponse<String> stray = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(standIn.endpoint()).header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"TableName\":\"otp-callers\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, stray.statusCode());
            assertEquals(List.of(), standIn.calls());
        }
        assertEquals(1, Recorded.all(aws), "the real request's SMS went to SNS");
    }

    /** Issue 16, finding 7: the priming is bounded by time, not by a count; counted in rounds, not wall time. */
    @Test
    void noRoundStartsOnceThePrimingsBudgetIsSpent() {
        SnapStartPriming.Result r = priming.prime(1_000_000, Duration.ZERO);
        assertEquals(1, r.rounds(), "the first round, then none: " + r);
        assertEquals(Map.of(200, 1), r.statuses().get(SummitEndpoint.GENERATE), r.toString());
        assertFalse(PrimingRedirect.active());
    }

    @Test
    void theRestoreHookOpensTheDynamoDbConnectionWithOneReadAndWritesNothing() {
        String stored = data.everything();
        AwsCallCounter.reset();

        priming.afterRestore(null);

        assertEquals(1, AwsCallCounter.orgReads(), "one GetItem of an organisation that does not exist");
        assertEquals(List.of(), AwsCallCounter.callsWithTables(), "and no other call");
        assertEquals(stored, data.everything(), "nothing written");
    }

    @Test
    void noRandomGeneratorNorCachedReadMadeBeforeTheSnapshotServesARequestAfterIt() throws Exception {
        priming.prime(1); // the warm-up uses both holders of a generator and both caches
        InjectableContext app = Arc.container().getActiveContext(ApplicationScoped.class);
        InjectableBean<OtpCodes> codesBean = Arc.container().instance(OtpCodes.class).getBean();
        OtpCodes beforeSnapshot = app.get(codesBean);
        assertNotNull(beforeSnapshot, "the priming made the codes bean (and its SecureRandom)");
        SecureRandom randomBefore = random(beforeSnapshot);

        priming.beforeCheckpoint(null); // what the snapshot would hold: no holder of a generator or a cache
        for (Class<?> holder : Stream.concat(SnapStartPriming.RANDOM_HOLDERS.stream(),
                SnapStartPriming.CACHE_HOLDERS.stream()).toList()) {
            assertNull(app.get(Arc.container().instance(holder).getBean()), holder + " would be in the snapshot");
        }
        priming.afterRestore(null);
        OtpCodes afterRestore = app.get(codesBean);
        assertNotNull(afterRestore, "made again by the restore hook, so the first request does not pay for it");

        Flows.Issued otp = Flows.generate(aws); // the first request after the restore
        assertSame(afterRestore, app.get(codesBean), "the first request uses the bean made after the restore");
        assertNotSame(beforeSnapshot, afterRestore, "a new bean after the restore");
        assertNotSame(randomBefore, random(afterRestore), "with its own SecureRandom");
        Flows.validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
        // UUID.randomUUID (TransactionIDs) and new SecureRandom() take the platform's default, NativePRNG, which
        // mixes /dev/urandom into every output: no state of its own decides what it gives after a restore.
        assertEquals("NativePRNG", new SecureRandom().getAlgorithm());
    }

    /**
     * The AWS SDK's retry jitter draws from ThreadLocalRandom, whose state lives in the thread (and, for new
     * threads, in a static seeder): both are in the snapshot. Two environments restored from one snapshot start from
     * the same seed; this plays the two restores on this thread by putting the snapshot's seed back, and shows the
     * jitter repeating without the restore hook and differing with it.
     */
    @Test
    void threadLocalRandomStateFromBeforeTheSnapshotDoesNotSurviveTheRestore() throws Exception {
        // the SDK's standard and legacy strategies' backoff: exponentialDelay, drawing from ThreadLocalRandom::current
        BackoffStrategy jitter = BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20));
        ThreadLocalRandom.current(); // this thread's seed exists, as it would in the snapshot
        long snapshot = FreshRandomness.seedOfCurrentThread();

        long[] firstRestore = delays(jitter);
        FreshRandomness.restoreSeedOfCurrentThread(snapshot); // a second environment, same snapshot, no hook
        assertArrayEquals(firstRestore, delays(jitter), "without reseeding, restored environments share the jitter");

        FreshRandomness.restoreSeedOfCurrentThread(snapshot); // and again, this time with the restore hook
        priming.afterRestore(null);
        long afterHook = FreshRandomness.seedOfCurrentThread();
        assertTrue(afterHook != snapshot, "the restore hook reseeded this thread");
        assertFalse(java.util.Arrays.equals(firstRestore, delays(jitter)), "fresh jitter after the restore hook");

        // a thread started after the restore takes its seed from the static seeder, also in the snapshot
        java.util.concurrent.atomic.AtomicLong seeder = FreshRandomness.seeder();
        long snapshotSeeder = seeder.get();
        long first = seedOfNewThread();
        seeder.set(snapshotSeeder); // a second environment, same snapshot, no hook
        assertEquals(first, seedOfNewThread(), "without reseeding, new threads repeat the snapshot's seeds");
        seeder.set(snapshotSeeder);
        priming.afterRestore(null);
        assertTrue(first != seedOfNewThread(), "after the restore hook, new threads get fresh seeds");
    }

    private static long seedOfNewThread() throws InterruptedException {
        long[] seed = new long[1];
        Thread t = new Thread(() -> {
            ThreadLocalRandom.current();
            try {
                seed[0] = FreshRandomness.seedOfCurrentThread();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        return seed[0];
    }

    private static long[] delays(BackoffStrategy jitter) {
        long[] d = new long[8];
        for (int i = 0; i < d.length; i++) {
            d[i] = jitter.computeDelay(12).toNanos(); // capped at 20 s: uniform over 20 s, in nanoseconds
        }
        return d;
    }

    private static SecureRandom random(OtpCodes codes) throws ReflectiveOperationException {
        Field f = OtpCodes.class.getDeclaredField("random");
        f.setAccessible(true);
        return (SecureRandom) f.get(codes);
    }
}
