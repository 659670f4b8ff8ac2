package dev.otpgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.auth.Authenticator;
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

/**
 * SnapStart priming (the hooks Lambda's java runtime calls around the snapshot): it goes through the endpoint,
 * writes nothing and sends nothing, and leaves no random generator behind for a restored environment to share.
 * Test mode only (it reaches into beans); bench/PackageBench's snapstart mode measures what it buys.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class SnapStartPrimingTest extends FunctionTest {

    @Inject
    SnapStartPriming priming;

    @Test
    void primingGoesThroughTheEndpointReadsOnlyAndSendsNothing() {
        String stored = data.everything();
        int transactions = data.transactionCount();
        priming.beforeCheckpoint(null);
        assertEquals(0, Recorded.all(aws), "nothing sent");
        assertEquals(transactions, data.transactionCount(), "no transaction stored");
        assertEquals(stored, data.everything(), "nothing written to any table");
        List<String> calls = AwsCallCounter.callsWithTables();
        assertTrue(calls.contains("DynamoDb.GetItem otp-transactions") && calls.stream().allMatch(
                c -> c.equals("DynamoDb.GetItem otp-transactions") || c.equals("DynamoDb.GetItem otp-callers")),
                "the priming reads its (unknown) caller and transaction and nothing else: " + calls);
        assertEquals(404, priming.prime(), "an unknown TransactionID: the use case's 404 after the endpoint's path");
    }

    @Test
    void noRandomGeneratorMadeBeforeTheSnapshotServesARequestAfterIt() throws Exception {
        priming.prime(); // the warm-up uses both holders of a generator
        InjectableContext app = Arc.container().getActiveContext(ApplicationScoped.class);
        InjectableBean<OtpCodes> codesBean = Arc.container().instance(OtpCodes.class).getBean();
        OtpCodes beforeSnapshot = app.get(codesBean);
        assertNotNull(beforeSnapshot, "the priming made the codes bean (and its SecureRandom)");
        SecureRandom randomBefore = random(beforeSnapshot);

        priming.beforeCheckpoint(null); // what the snapshot would hold: no holder of a generator
        for (Class<?> holder : List.of(OtpCodes.class, Authenticator.class)) {
            assertNull(app.get(Arc.container().instance(holder).getBean()), holder + " would be in the snapshot");
        }
        priming.afterRestore(null);

        Flows.Issued otp = Flows.generate(aws); // the first request after the restore
        OtpCodes afterRestore = app.get(codesBean);
        assertNotNull(afterRestore);
        assertNotSame(beforeSnapshot, afterRestore, "a new bean after the restore");
        assertNotSame(randomBefore, random(afterRestore), "with its own SecureRandom");
        Flows.validate(otp.transactionId(), "967", otp.code()).then().statusCode(200);
    }

    private static SecureRandom random(OtpCodes codes) throws ReflectiveOperationException {
        Field f = OtpCodes.class.getDeclaredField("random");
        f.setAccessible(true);
        return (SecureRandom) f.get(codes);
    }
}
