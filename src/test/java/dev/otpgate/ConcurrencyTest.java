package dev.otpgate;

import static dev.otpgate.support.Flows.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
import dev.otpgate.otp.GenerateOtp;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.ValidateOtp;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Flows.Issued;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 50 requests at once, as 50 Lambda instances would send them: the use cases are called from 50
 * threads against DynamoDB Local (the mock event server feeds one Lambda poll loop, which would
 * serialise them). Only DynamoDB's conditions stand between them.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class ConcurrencyTest extends FunctionTest {

    static final int N = 50;
    /** The seed's caller, as the endpoint would pass it once authenticated. */
    static final Caller SEED_CALLER = new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null, Set.of("1"));

    @Inject
    GenerateOtp generateOtp;

    @Inject
    ValidateOtp validateOtp;

    @Test
    void fiftyValidationsOfTheRightCodeGiveExactlyOneSuccess() throws Exception {
        Issued otp = generate(aws);
        Map<String, Integer> outcomes = race(() -> {
            validateOtp.validate(SEED_CALLER, new ValidateOtp.Request("1", otp.transactionId(), "967", otp.code(), false));
            return "OK";
        });
        System.out.println("50 concurrent right-code validations: " + outcomes);
        assertEquals(1, outcomes.getOrDefault("OK", 0), outcomes.toString());
    }

    @Test
    void fiftyConcurrentWrongGuessesGetNoMoreTriesThanTheLimit() throws Exception {
        Issued otp = generate(aws);
        Map<String, Integer> outcomes = race(() -> {
            validateOtp.validate(SEED_CALLER, new ValidateOtp.Request("1", otp.transactionId(), "967", Flows.wrong(otp.code()), false));
            return "OK";
        });
        System.out.println("50 concurrent wrong guesses: " + outcomes);
        int counted = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("400 Wrong OTP"))
                .mapToInt(Map.Entry::getValue).sum();
        assertTrue(counted <= 5, outcomes.toString());
        assertEquals("0", data.transaction(otp.transactionId()).get("AttemptsLeft").n());
        // and the right code no longer helps
        OtpFailure after = org.junit.jupiter.api.Assertions.assertThrows(OtpFailure.class,
                () -> validateOtp.validate(SEED_CALLER, new ValidateOtp.Request("1", otp.transactionId(), "967", otp.code(), false)));
        assertEquals(429, after.status());
    }

    @Test
    void fiftyConcurrentGeneratesSendExactlyOneCode() throws Exception {
        // A user of its own: on a loaded machine a call that timed out still lands in DynamoDB Local later, and
        // its limit items must not hold the seed's user in the next test
        data.user("1", "race", "race", "+14155554221", null);
        Map<String, Integer> outcomes = race(() -> {
            generateOtp.generate(SEED_CALLER, new GenerateOtp.Request("1", "1", "race", "race", "race"), startingNow());
            return "OK";
        });
        System.out.println("50 concurrent generates: " + outcomes);
        int sent = outcomes.getOrDefault("OK", 0);
        int unavailable = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToInt(Map.Entry::getValue).sum();
        // the others are refused by the limits (429), or, on a machine too loaded for DynamoDB Local to answer
        // within the 1 s call timeout, answered 503 (or 500); the one that won may then be among those: never two
        assertTrue(unavailable == 0 ? sent == 1 : sent <= 1, outcomes.toString());
        assertEquals(sent, Recorded.calls(aws, "Publish").size());
        assertEquals(N - sent, outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("429") || e.getKey().startsWith("5"))
                .mapToInt(Map.Entry::getValue).sum(), outcomes.toString());
    }

    /** Runs the call N times at once; counts the outcomes ("OK" or "status message"). */
    private static Map<String, Integer> race(Callable<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(N);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    return call.call();
                } catch (OtpFailure f) {
                    return f.status() + " " + f.getMessage().replaceAll("\\d+ (attempts?|seconds)", "N $1");
                } catch (software.amazon.awssdk.core.exception.SdkException e) { // the function answers these 503
                    return "503 " + e.getClass().getSimpleName();
                } catch (RuntimeException e) {
                    // The SDK's attempt timeout closed the connection under its reader: the JDK's HttpURLConnection
                    // throws a wrapped NullPointerException, which the SDK passes on as is (answered 500)
                    if (Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().contains("UrlConnectionHttpClient"))) {
                        return "500 " + e.getClass().getSimpleName();
                    }
                    throw e;
                }
            }));
        }
        start.countDown();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Future<String> f : futures) {
            outcomes.merge(f.get(), 1, Integer::sum);
        }
        pool.shutdown();
        return outcomes;
    }

    @Test
    void inAnotherOrganisationTooFiftyConcurrentGeneratesSendExactlyOneCode() throws Exception {
        // the same ids as the seed's user, in organisation "c2": its own keys, its own limits
        data.callers().putUser("c2#1", "967", "abcd", "+14155550102", null, null, null);
        Caller c2 = new Caller("c2", "svc", AuthMethod.TOKEN, null, null, Set.of("1"));
        Map<String, Integer> outcomes = race(() -> {
            generateOtp.generate(c2, new GenerateOtp.Request("c2", "1", "967", "967", "abcd"), startingNow());
            return "OK";
        });
        assertEquals(1, outcomes.getOrDefault("OK", 0), outcomes.toString());
        assertEquals(List.of("+14155550102"), Recorded.calls(aws, "Publish").stream().map(m -> m.get("PhoneNumber")).toList());
        generateOtp.generate(SEED_CALLER, new GenerateOtp.Request("1", "1", "967", "967", "abcd"), startingNow());
        assertEquals(2, Recorded.calls(aws, "Publish").size(), "the legacy organisation's user was not held back");
    }

    /** The use case's view of a call that starts now (the request deadline counts from here). */
    private static dev.otpgate.otp.CallContext startingNow() {
        long start = System.nanoTime();
        return new dev.otpgate.otp.CallContext() {
            @Override
            public long startNanos() {
                return start;
            }

            @Override
            public void routedBy(dev.otpgate.otp.Channel channel) {
            }

            @Override
            public String sourceAddress() {
                return null; // as outside Lambda: the address rules do not apply, the others do
            }
        };
    }
}
