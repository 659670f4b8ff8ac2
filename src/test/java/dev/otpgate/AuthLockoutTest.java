package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.admin.Admin;
import dev.otpgate.auth.CallerStore;
import dev.otpgate.auth.CallerStore.PasswordAttempt;
import dev.otpgate.auth.CallerStore.PasswordAttempt.Outcome;
import dev.otpgate.support.Logged;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.CallLines;
import dev.otpgate.support.FromSource;
import dev.otpgate.support.FromSource.Answer;
import dev.otpgate.support.FunctionTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 11, "callers under attack", through the function as API Gateway calls it (raw HTTP API events with
 * the client's sourceIp): wrong passwords are counted per (caller, source) with an exponential back-off, and
 * per caller under a ceiling that slows but does not shut out sources with no failures of their own.
 * Requests are validations of an unknown TransactionID: an authenticated caller gets 404, nothing is sent.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class AuthLockoutTest extends FunctionTest {

    static final String INVALID = "Unauthorized: invalid credentials";
    static final String RIGHT = "the-right-password";
    static final String APP = "198.51.100.7";
    static final String ATTACKER = "203.0.113.66";
    /** Where the slowing starts: otp.auth.max-failures (100, the window's total) less otp.auth.checks-past-ceiling (30). */
    static final int CEILING = 70;

    @Inject
    DynamoDbClient dynamo;
    @Inject
    CallerStore store;

    String caller;
    Instant now;

    @BeforeEach
    void aCallerAndAStoppedClock() {
        caller = "google-" + UUID.randomUUID() + "@sum.com";
        data.caller("1", caller, RIGHT, null, Set.of("1"));
        now = Instant.now();
        at(now);
    }

    @Test
    void anAttackerGuessingFromOneAddressDoesNotLockOutTheAppLoggingInFromAnother() {
        Set<String> failures = new LinkedHashSet<>();
        try (CallLines lines = CallLines.capture()) {
            for (int i = 0; i < 10; i++) { // a burst first: the old hard lockout shut the app out after 5
                Answer guess = login(ATTACKER, "burst-" + i);
                assertEquals(401, guess.status(), guess.body());
                failures.add(guess.body());
            }
            assertEquals(404, login(APP, RIGHT).status(), "the app gets in right after the attacker's burst");
            for (int i = 0; i < 50; i++) {
                Answer guess = login(ATTACKER, "guess-" + i);
                assertEquals(401, guess.status(), guess.body());
                failures.add(guess.body());
                if (i == 0) { // the burst's third wrong password began the attacker's back-off, with a metric
                    JsonNode line = lines.all().get(2);
                    assertEquals("source_back_off", line.path("lockout").asText(), line.toString());
                    assertEquals(1, line.path("CallerLockouts").asInt(), line.toString());
                    assertTrue(line.at("/_aws/CloudWatchMetrics").toString().contains(
                            "{\"Namespace\":\"OtpGate\",\"Dimensions\":[[\"Function\"]],\"Metrics\":[{\"Name\":\"CallerLockouts\""),
                            "an EMF directive for CallerLockouts, dimension Function: " + line);
                    assertEquals(ATTACKER, line.path("sourceIp").asText());
                }
                Answer app = login(APP, RIGHT);
                assertEquals(404, app.status(), "the app is authenticated at every step: " + app.body());
            }
            long lockouts = lines.all().stream().filter(l -> l.has("lockout")).count();
            assertEquals(1, lockouts, "one lockout: the attacker's back-off starting");
        }
        assertEquals(1, failures.size(), "every failure answer is byte-identical: " + failures);
        assertEquals(INVALID, new FromSource.Answer(401, failures.iterator().next()).errors());
        // The app's good logins did not reset the attacker's count: it stays in back-off, even with the right password.
        assertEquals("3", source(ATTACKER).get("Count").n(), "only the 3 checked attempts counted");
        Answer right = login(ATTACKER, RIGHT);
        assertEquals(401, right.status());
        assertEquals(failures.iterator().next(), right.body(), "a refused right password: the same answer");
        Map<String, AttributeValue> app = source(APP);
        assertFalse(app.containsKey("Count"), "the app's right passwords leave no failures of its address: " + app);
        assertEquals(Duration.ofDays(1).toSeconds(), Long.parseLong(app.get("ExpiresAt").n())
                - Long.parseLong(app.get("LastLoginAt").n()) / 1000, "only its last login, kept a day (TTL)");
        assertEquals("3", data.ceilingItem("1", caller).get("Failures").n(), "the ceiling counts the 3 failures only");
        // An unknown caller's answer is the same too.
        assertEquals(failures.iterator().next(), FromSource.post(AuthTest.validation(UUID.randomUUID().toString(),
                "123456", p -> p.put("UserName", "nobody-" + caller).put("Password", RIGHT)), APP).body());
    }

    @Test
    void aSourcesBackOffDoublesUpToFifteenMinutesAndEndsByItself() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login(ATTACKER, "guess-" + i).status());
        }
        assertEquals(now.toEpochMilli() + 1000, blockedUntil(), "after the free failures: 1 s, stored as its end");
        at(now.plusMillis(999));
        assertEquals(401, login(ATTACKER, RIGHT).status(), "refused before the end, even the right password");
        assertEquals("3", source(ATTACKER).get("Count").n(), "a refused attempt is not counted");

        long expected = 1000;
        Instant t = now;
        for (int failure = 4; failure <= 14; failure++) {
            t = t.plusMillis(expected);
            at(t); // the wait ends by itself: no write, just the clock
            assertEquals(401, login(ATTACKER, "guess-" + failure).status());
            expected = Math.min(expected * 2, Duration.ofMinutes(15).toMillis());
            assertEquals(t.toEpochMilli() + expected, blockedUntil(), "after failure " + failure);
        }
        assertEquals(Duration.ofMinutes(15).toMillis(), expected, "capped at 15 minutes");
        Map<String, AttributeValue> record = source(ATTACKER);
        long expiresAt = Long.parseLong(record.get("ExpiresAt").n());
        assertEquals(blockedUntil() / 1000 + Duration.ofMinutes(15).toSeconds() + Duration.ofHours(1).toSeconds(),
                expiresAt, "the address is kept one window after its back-off could end (TTL)");

        at(t.plus(Duration.ofMinutes(15)));
        assertEquals(404, login(ATTACKER, RIGHT).status(), "the back-off ended by itself; the right password works");
        assertFalse(source(ATTACKER).containsKey("Count"), "a right password forgets that source's failures");
    }

    @Test
    void aSpoofedForwardedForIsIgnoredAndTheEventsSourceIpIsLogged() {
        try (CallLines lines = CallLines.capture()) {
            for (int i = 0; i < 3; i++) {
                Answer a = FromSource.post(request(RIGHT + "-no-" + i), ATTACKER, "10.9.8." + i);
                assertEquals(401, a.status());
                assertEquals(ATTACKER, lines.last().path("sourceIp").asText(), "the event's sourceIp, not the header");
            }
            Answer spoofed = FromSource.post(request(RIGHT), ATTACKER, APP);
            assertEquals(401, spoofed.status(), "naming another address in X-Forwarded-For does not escape the back-off");
            assertEquals(ATTACKER, lines.last().path("sourceIp").asText());
        }
        assertEquals(404, login(APP, RIGHT).status());
    }

    @Test
    void anIpv6SourceIsCountedByItsSlash64AndLoggedInFull() {
        try (CallLines lines = CallLines.capture()) {
            for (int i = 1; i <= 3; i++) {
                assertEquals(401, login("2001:db8:1:2::" + i, "guess-" + i).status());
            }
            assertEquals("2001:db8:1:2:0:0:0:3", lines.last().path("sourceIp").asText());
        }
        assertEquals(401, login("2001:DB8:1:2:0:0:0:ffff", RIGHT).status(), "the same /64: in back-off");
        assertEquals(404, login("2001:db8:1:3::1", RIGHT).status(), "another /64");
    }

    @Test
    void theCeilingSlowsButDoesNotShutOutSourcesWithNoFailuresOfTheirOwnAndUnlockClearsIt() {
        try (CallLines lines = CallLines.capture()) {
            for (int i = 0; i < CEILING; i++) { // a botnet: one wrong password from each of 70 addresses
                assertRefused(login(bot(i), "guess-" + i));
            }
            JsonNode last = lines.last();
            assertEquals("caller_ceiling", last.path("lockout").asText(), last.toString());
            assertEquals(1, last.path("CallerLockouts").asInt());
        }
        assertEquals(Integer.toString(CEILING), data.ceilingItem("1", caller).get("Failures").n());

        assertRefused(login(bot(7), RIGHT), "past the ceiling, a source with failures is refused");
        assertEquals(404, login(APP, RIGHT).status(), "a source with none is still checked");
        assertRefused(login("192.0.2.1", "wrong"), "a fresh source's wrong password");
        assertRefused(login("192.0.2.1", RIGHT), "... makes it a source with failures");
        for (int i = 2; i <= 5; i++) {
            assertEquals(404, login("192.0.2." + i, RIGHT).status(), "check " + i + " of the /24's 5 this minute");
        }
        assertRefused(login("192.0.2.6", RIGHT), "at most 5 checks a minute per /24 past the ceiling");
        assertEquals("0", source("192.0.2.6").get("Count").n(), "a check refused by the ceiling is no failure");
        assertEquals(1, refusals.size(), "wrong, waiting, past the ceiling, no check left: the same bytes " + refusals);
        at(now.plusSeconds(61));
        assertEquals(404, login("192.0.2.6", RIGHT).status(), "the next minute's checks");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Admin(dynamo, null, new BufferedReader(new StringReader("")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC()).run(new String[] { "caller", "unlock", "--org", "1", "--name", caller });
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(" + (CEILING + 10) + " records)"), out.toString());
        assertTrue(data.ceilingItem("1", caller).isEmpty(), "the ceiling forgotten");
        assertEquals(404, login(bot(7), RIGHT).status(), "unlock: every source's failures forgotten");
        assertEquals(404, login("192.0.2.1", RIGHT).status());
    }

    @Test
    void aRefusedLoginNameNeverReachesTheLogInClearAndAnUnknownNameRaisesNoLockout() {
        // A password typed into the name field, with a newline that would forge a text log line.
        String typed = "Tr0ub4dor&3-secret\n2026-12-03 10:00:00,000 INFO [dev.otpgate] forged";
        Logged warnings = Logged.on("dev.otpgate.auth.Authenticator");
        try (CallLines lines = CallLines.capture()) {
            for (int i = 0; i < 4; i++) {
                assertRefused(FromSource.post(AuthTest.validation(UUID.randomUUID().toString(), "123456",
                        p -> p.put("UserName", typed).put("Password", "guess")), ATTACKER));
            }
            assertTrue(lines.all().stream().noneMatch(l -> l.has("lockout") || l.path("CallerLockouts").asInt() > 0),
                    "no lockout for a name no caller has: " + lines.all());
            assertEquals(List.of(), containing(warnings, "Tr0ub4dor"), "the name never reaches the log");

            // An existing caller's name (control characters and all) is logged masked, on one line.
            String odd = "odd\nname-" + UUID.randomUUID();
            data.caller("1", odd, RIGHT, null, Set.of("1"));
            for (int i = 0; i < 3; i++) {
                assertRefused(FromSource.post(AuthTest.validation(UUID.randomUUID().toString(), "123456",
                        p -> p.put("UserName", odd).put("Password", "guess")), ATTACKER));
            }
            assertEquals("source_back_off", lines.last().path("lockout").asText(), "a real caller's lockout counts");
            List<String> logged = containing(warnings, "backing off");
            assertEquals(1, logged.size(), warnings.messages.toString());
            assertFalse(logged.get(0).contains(odd.substring(4)), "the name is masked: " + logged.get(0));
            assertTrue(logged.get(0).chars().noneMatch(Character::isISOControl), "one line: " + logged.get(0));
        } finally {
            warnings.close();
        }
    }

    private static List<String> containing(Logged logged, String text) {
        return logged.messages.stream().filter(m -> m.contains(text)).toList();
    }

    @Test
    void pastTheCeilingRotatingAddressesDoNotShutOutTheAppOrANewSourceInAnotherRange() {
        assertEquals(404, login(APP, RIGHT).status(), "the app logs in before the attack");
        reachCeiling(CEILING);
        for (int minute = 0; minute < 3; minute++) {
            at(now.plusSeconds(61L * minute));
            for (int i = 0; i < 5; i++) { // 5 guesses from 5 fresh addresses (each in a /24 of its own) at once
                assertRefused(login("10." + minute + "." + i + ".9", "guess-" + minute + "-" + i));
            }
            assertEquals(404, login(APP, RIGHT).status(), "minute " + minute + ": the app's recent login lets it in");
            assertEquals(404, login("192.0." + (10 + minute) + ".1", RIGHT).status(),
                    "minute " + minute + ": a new source in a range the attacker has not used is checked");
        }
        // The ration is per range: a sixth fresh address of one /24 (or /48) in a minute is not checked.
        at(now.plusSeconds(300));
        for (int i = 1; i <= 5; i++) {
            assertEquals(404, login("198.18.7." + i, RIGHT).status(), "check " + i + " of the /24's 5");
            assertEquals(404, login("2001:db8:77:" + i + "::1", RIGHT).status(), "check " + i + " of the /48's 5");
        }
        assertRefused(login("198.18.7.6", RIGHT), "a sixth address of the same /24 in the minute");
        assertRefused(login("2001:db8:77:6::1", RIGHT), "a sixth /64 of the same /48 in the minute");
        assertEquals(404, login("198.18.8.1", RIGHT).status(), "the next /24 has its own 5");
        assertEquals(1, refusals.size(), "the same bytes for every refusal: " + refusals);
    }

    @Test
    void pastTheCeilingFreshRangesCannotGetMoreChecksThanTheTotalButTheAppStillGetsIn() {
        assertEquals(404, login(APP, RIGHT).status(), "the app logs in before the attack");
        reachCeiling(100); // every wrong password a window allows, as a botnet leaves it
        for (int i = 0; i < 25; i++) { // issue 22, finding 7: 25 fresh /24s, each with checks of its own left
            assertRefused(login("10." + i + ".0.9", RIGHT), "fresh /24 number " + (i + 1) + " past the total");
        }
        assertEquals(404, login(APP, RIGHT).status(), "the app's recent login still lets it in");
        assertEquals(1, refusals.size(), "the same bytes for every refusal: " + refusals);
    }

    /** The caller's ceiling reached (100 wrong passwords in its running window), as a botnet leaves it. */
    private void reachCeiling() {
        reachCeiling(100);
    }

    private void reachCeiling(int failures) {
        data.ceiling("1", caller, failures, now.getEpochSecond() + 3600);
    }

    @Test
    void parallelGuessesFromOneSourceGetNoMoreChecksThanItsFreeFailures() throws Exception {
        List<PasswordAttempt> first = race(20, now);
        List<PasswordAttempt> granted = first.stream().filter(a -> a.outcome() == Outcome.GRANTED).toList();
        assertEquals(3, granted.size(), "20 guesses at once: 3 checked, the others refused before any hash");
        granted.forEach(a -> store.passwordRejected(a, now)); // all three wrong
        assertEquals(now.toEpochMilli() + 1000, blockedUntil());

        List<PasswordAttempt> second = race(20, now.plusSeconds(2));
        assertEquals(1, second.stream().filter(a -> a.outcome() == Outcome.GRANTED).count(),
                "once the back-off ends, one guess at a time");
    }

    // ---- helpers

    /** Every refusal's body, to show that they are all the same bytes. */
    private final Set<String> refusals = new LinkedHashSet<>();

    private void assertRefused(Answer a, String... why) {
        assertEquals(401, a.status(), String.join("", why) + ": " + a.body());
        refusals.add(a.body());
    }

    private List<PasswordAttempt> race(int threads, Instant at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<PasswordAttempt>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.beginPasswordAttempt("1", caller, ATTACKER, at);
                }));
            }
            start.countDown();
            List<PasswordAttempt> out = new ArrayList<>();
            for (Future<PasswordAttempt> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String bot(int i) {
        return "100.64." + (i / 200) + "." + (i % 200 + 1);
    }

    private Answer login(String source, String password) {
        return FromSource.post(request(password), source);
    }

    private String request(String password) {
        return AuthTest.validation(UUID.randomUUID().toString(), "123456",
                p -> p.put("UserName", caller).put("Password", password));
    }

    private void at(Instant instant) {
        QuarkusMock.installMockForType(Clock.fixed(instant, ZoneOffset.UTC), Clock.class);
    }

    private long blockedUntil() {
        return Long.parseLong(source(ATTACKER).get("BlockedUntil").n());
    }

    private Map<String, AttributeValue> source(String address) {
        Map<String, AttributeValue> item = sourceOrNull(address);
        assertTrue(item != null, "no record for " + address);
        return item;
    }

    private Map<String, AttributeValue> sourceOrNull(String address) {
        String key = "authfail#1:1" + caller.length() + ":" + caller + "#" + address;
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }
}
