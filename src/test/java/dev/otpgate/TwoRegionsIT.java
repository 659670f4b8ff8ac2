package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.otpgate.admin.CallerWrites;
import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.local.LocalTables;
import dev.otpgate.local.SetUpClient;
import dev.otpgate.otp.HomeRegion;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.RawEvents.Answer;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import dev.otpgate.support.regions.RegionFunction;
import dev.otpgate.support.regions.Replicator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two regions on one machine (docs/regions.md "The drill on one machine"): two DynamoDB Locals, the tables the
 * template declares global replicated both ways as MREC global tables do (Replicator: about a second late, last
 * writer wins, deletes too), and the packaged function (target/function.zip) run as each region, each in its own
 * JVM with its own AWS_REGION, Runtime API and DynamoDB. Region A's DynamoDB is reached through a proxy that the
 * last test turns into a dead end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoRegionsIT {

    static final String REGION_A = "us-east-1";
    static final String REGION_B = "us-west-2";
    /** The replication lag the stand-in gives: global tables' "typically within a second or less". */
    static final Duration LAG = Duration.ofSeconds(1);

    static DynamoDbLocalServer localA;
    static DynamoDbLocalServer localB;
    static DynamoDbClient dynamoA;
    static DynamoDbClient dynamoB;
    static WireMockServer proxyA;
    static WireMockServer sms;
    static Replicator replicator;
    static RegionFunction a;
    static RegionFunction b;
    static final AtomicInteger USERS = new AtomicInteger(7000);

    /** A code handed out: its TransactionID, the code the SMS carried, and the user's LoginUID. */
    record Code(String transactionId, String code, String loginUid) {
    }

    @BeforeAll
    static void twoRegions() throws Exception {
        localA = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        localB = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        dynamoA = SetUpClient.open(localA.endpoint());
        dynamoB = SetUpClient.open(localB.endpoint());
        // Each region's stack has its regional tables; the global ones exist in both (replicas).
        LocalTables.create(dynamoA, TableSpec.all(AwsLocalResource.TABLES));
        LocalTables.create(dynamoB, TableSpec.all(AwsLocalResource.TABLES));
        replicator = new Replicator(localA.endpoint(), localB.endpoint(), TableSpec.replicated(AwsLocalResource.TABLES), LAG);
        // The operator writes the seed's caller in region A only: region B gets it by replication.
        operator(dynamoA).putCaller("1", "google@sum.com", new PasswordHasher().hash("XXXX@123"), null, null, Set.of("1"));

        proxyA = new WireMockServer(options().dynamicPort().disableRequestJournal());
        proxyA.start();
        aUp();
        sms = new WireMockServer(options().dynamicPort());
        sms.start();
        AwsLocalResource.stubProvidersUp(sms);

        Path[] unpacked = RegionFunction.unpack(Path.of("target").toAbsolutePath());
        ExecutorService starting = Executors.newFixedThreadPool(2);
        Future<RegionFunction> startA = starting.submit(() -> RegionFunction.start(REGION_A, unpacked[0], unpacked[1],
                endpoints(REGION_A, proxyA.baseUrl())));
        Future<RegionFunction> startB = starting.submit(() -> RegionFunction.start(REGION_B, unpacked[0], unpacked[1],
                endpoints(REGION_B, localB.endpoint())));
        a = startA.get();
        b = startB.get();
        starting.shutdown();
        for (RegionFunction region : List.of(a, b)) { // a fresh C1 JVM's first calls load and compile the path: warm it
            for (int i = 0; i < 3; i++) {
                region.get("/q/health/ready");
                region.post(generate("999999")); // no such user: stops before any write, nothing sent
            }
        }
    }

    /** The system properties that make the function this region's: its DynamoDB, its region, the SMS recorder. */
    static Map<String, String> endpoints(String region, String dynamo) {
        // No region in the configuration (the it profile's us-east-1 emptied): the function takes AWS_REGION, as on Lambda.
        return Map.of("quarkus.dynamodb.endpoint-override", dynamo, "quarkus.dynamodb.aws.region", "",
                "quarkus.sns.endpoint-override", sms.baseUrl(), "quarkus.ses.endpoint-override", sms.baseUrl(),
                // a busy machine's first calls: the deadline of DynamoDbOutageTest, never shorter than Lambda's 10 s
                "otp.deadline.function-timeout", "PT15S",
                "quarkus.log.handler.file.\"calls-file\".path", "target/region-" + region + "-calls.log");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { a, b, replicator }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // stopping
            }
        }
        if (proxyA != null) {
            proxyA.stop();
        }
        if (sms != null) {
            sms.stop();
        }
        for (DynamoDbLocalServer l : new DynamoDbLocalServer[] { localA, localB }) {
            if (l != null) {
                l.stop();
            }
        }
    }

    @Test
    @Order(1)
    void aUserWrittenInOneRegionGetsACodeInTheOther() throws InterruptedException {
        String user = newUser(dynamoB); // the operator's tool against region B
        long start = System.nanoTime();
        arrives(dynamoA, user);
        System.out.println("[measured] the user written in B was in A after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Answer r = a.post(generate(user));
        assertEquals(200, r.status(), r.body().toString());
        assertTrue(r.transactionId().startsWith(String.format("%08x", tag(REGION_A))), "issued by A: " + r.transactionId());
        assertEquals(1, sentTo(user).size());
    }

    @Test
    @Order(2)
    void aCodeOfOneRegionIsRefusedInTheOtherAndStillGoodOnceAtHome() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        Code code = issue(a, user);
        Answer elsewhere = b.post(Flows.validateRequest(code.transactionId(), user, code.code()));
        assertEquals(410, elsewhere.status(), elsewhere.body().toString());
        assertEquals("This OTP was issued by another region of the service and cannot be checked here; ask for a new one",
                elsewhere.errors());
        Thread.sleep(LAG.multipliedBy(2).toMillis()); // whatever B did would have replicated by now
        Answer home = a.post(Flows.validateRequest(code.transactionId(), user, code.code()));
        assertEquals(200, home.status(), "still good once at home: " + home.body());
        Answer again = a.post(Flows.validateRequest(code.transactionId(), user, code.code()));
        assertEquals(409, again.status(), "single use: " + again.body());
        // and the other way round: B's code is B's
        Code ofB = issue(b, newUserIn(dynamoB, dynamoA));
        assertEquals(410, a.post(Flows.validateRequest(ofB.transactionId(), ofB.loginUid(), ofB.code())).status());
    }

    @Test
    @Order(3)
    void oneCodeTwentyValidationsAtOnceSplitOverBothRegionsAtMostOneSuccess() throws Exception {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        Code code = issue(a, user);
        String request = Flows.validateRequest(code.transactionId(), user, code.code());
        ExecutorService clients = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RegionFunction region = i % 2 == 0 ? a : b;
            answers.add(clients.submit(() -> {
                go.await();
                return region.post(request);
            }));
        }
        go.countDown();
        int ok = 0;
        int elsewhere = 0;
        for (Future<Answer> f : answers) {
            Answer r = f.get();
            ok += r.status() == 200 ? 1 : 0;
            elsewhere += r.status() == 410 ? 1 : 0;
        }
        clients.shutdown();
        System.out.println("[measured] 20 validations of one code over two regions: " + ok + " accepted, " + elsewhere
                + " refused as another region's");
        assertEquals(1, ok, "exactly one success");
        assertEquals(10, elsewhere, "every validation in B: another region's code");
    }

    @Test
    @Order(4)
    void aTokenIdIssuedInOneRegionWorksInTheOther() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        Answer first = a.post(generate(user));
        assertEquals(200, first.status(), first.body().toString());
        String token = first.body().path("TokenID").asText();
        assertFalse(token.isEmpty());
        String other = newUser(dynamoA);
        arrives(dynamoB, other);
        Answer inB = b.post(Seed.edit(root -> {
            ObjectNode proxy = root.with("objCommonParameters").with("_ProxyDetails");
            proxy.put("TokenID", token).remove(List.of("Password", "AuthType", "UserName"));
            user(root, other);
        }));
        assertEquals(200, inB.status(), inB.body().toString());
        assertEquals("token", inB.body().at("/OutputObject/OTP_Communication/0/AuthenticationType").asText());
    }

    @Test
    @Order(5)
    void aUserLockedInOneRegionIsLockedInTheOther() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        Code code = issue(a, user);
        // 99 consecutive wrong codes before this one (UserHoldsTest's way there): the next wrong one locks the user
        dynamoA.updateItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", s("consecutive#1#" + user)))
                .updateExpression("SET #c = :c, ExpiresAt = :x").expressionAttributeNames(Map.of("#c", "Count"))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromN("99"),
                        ":x", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 86400)))));
        Answer wrong = a.post(Flows.validateRequest(code.transactionId(), user, Flows.wrong(code.code())));
        assertEquals(400, wrong.status(), wrong.body().toString());
        String locked = "Too many consecutive wrong OTPs for this user; ask the administrator to unlock the account";
        Answer inA = a.post(generate(user));
        assertEquals(429, inA.status());
        assertEquals(locked, inA.errors());
        long start = System.nanoTime();
        for (int i = 0; i < 200 && !"failures_locked".equals(userItem(dynamoB, user).getOrDefault("HeldBy", s("")).s()); i++) {
            Thread.sleep(50); // (asking B meanwhile would send a code and start a cooldown: wait for the replica)
        }
        System.out.println("[measured] the lock set in A reached B's directory after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Answer inB = b.post(generate(user));
        assertEquals(429, inB.status(), "held in B too: " + inB.body());
        assertEquals(locked, inB.errors());
        assertTrue(sentTo(user).size() == 1, "no code went out after the lock, in either region");
    }

    @Test
    @Order(6)
    void anApiKeyRevokedInOneRegionIsRefusedInBoth() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        operator(dynamoA).putCaller("1", "keyed@sum.com", null, null, null, Set.of("1"));
        ApiKeys.Issued key = new ApiKeys().issue("1", "keyed@sum.com");
        assertTrue(operator(dynamoA).addKey("1", "keyed@sum.com", key.keyId(), key.sha256(),
                java.time.Instant.now().plusSeconds(86400), java.time.Instant.now()));
        String withKey = Seed.edit(root -> {
            root.with("objCommonParameters").with("_ProxyDetails").put("AuthType", "APIKEY").put("APIKey", key.key())
                    .remove(List.of("Password", "UserName"));
            user(root, user);
        });
        sameCallerInB("keyed@sum.com");
        Answer before = b.post(withKey);
        assertEquals(200, before.status(), "the key made in A works in B: " + before.body());
        operator(dynamoA).revokeKey("1", "keyed@sum.com", key.keyId());
        long start = System.nanoTime();
        sameCallerInB("keyed@sum.com");
        System.out.println("[measured] the API key revoked in A was revoked in B after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Answer after = b.post(withKey);
        assertEquals(401, after.status(), after.body().toString());
        assertEquals("Unauthorized: the APIKey has been revoked", after.errors());
        assertEquals(401, a.post(withKey).status());
    }

    /** Waits until B's copy of the caller's item is A's (the replica caught up). */
    static void sameCallerInB(String caller) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (operator(dynamoA).caller("1", caller).equals(operator(dynamoB).caller("1", caller))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(caller + " never reached B as A has it");
    }

    @Test
    @Order(7)
    void aCallerRemovedInOneRegionIsRefusedInBoth() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        operator(dynamoA).putCaller("1", "leaver@sum.com", new PasswordHasher().hash("Leaver@123"), null, null, Set.of("1"));
        String asLeaver = Seed.edit(root -> {
            root.with("objCommonParameters").with("_ProxyDetails").put("UserName", "leaver@sum.com").put("Password", "Leaver@123");
            user(root, user);
        });
        sameCallerInB("leaver@sum.com");
        Answer before = b.post(asLeaver);
        assertEquals(200, before.status(), "the caller made in A works in B: " + before.body());
        // At once: B's login wrote nothing of the caller's (global) item, so there is nothing for the removal to lose to
        // (docs/regions.md "What a write in two regions can lose"; the next test logs in in B after the removal).
        operator(dynamoA).removeCaller("1", "leaver@sum.com");
        assertEquals(401, a.post(asLeaver).status());
        long start = System.nanoTime();
        sameCallerInB("leaver@sum.com"); // gone from both
        System.out.println("[measured] the caller removed in A was gone from B after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Answer after = b.post(asLeaver);
        assertEquals(401, after.status(), after.body().toString());
    }

    /**
     * The attack docs/regions.md answers: an operator removes a caller in A, and the caller (or whoever holds its
     * password) logs in with it in B before the removal has replicated. B's login must not write the caller's item of
     * the global table: if it did, B's write would be the last writer of that item and bring the caller back in both
     * regions, old password hash and all.
     */
    @Test
    @Order(8)
    void aPasswordLoginInTheOtherRegionWithinTheLagDoesNotUndoARemoval() throws InterruptedException {
        String user = newUser(dynamoA);
        arrives(dynamoB, user);
        operator(dynamoA).putCaller("1", "undone@sum.com", new PasswordHasher().hash("Undone@123"), null, null, Set.of("1"));
        String asCaller = Seed.edit(root -> {
            root.with("objCommonParameters").with("_ProxyDetails").put("UserName", "undone@sum.com").put("Password", "Undone@123");
            user(root, user);
        });
        sameCallerInB("undone@sum.com");
        operator(dynamoA).removeCaller("1", "undone@sum.com");
        Answer inLag = b.post(asCaller); // at once: B still has the caller
        assertEquals(200, inLag.status(), "B's login landed before the removal reached B (the lag is " + LAG + "): "
                + inLag.body());
        long start = System.nanoTime();
        for (int i = 0; i < 200 && (present(dynamoA, "undone@sum.com") || present(dynamoB, "undone@sum.com")); i++) {
            Thread.sleep(100); // at most 20 s, twenty lags
        }
        long gone = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(LAG.multipliedBy(3).toMillis()); // anything still on its way has arrived
        assertFalse(present(dynamoA, "undone@sum.com") || present(dynamoB, "undone@sum.com"),
                "the caller removed in A came back after B's login: in A " + present(dynamoA, "undone@sum.com")
                        + ", in B " + present(dynamoB, "undone@sum.com"));
        System.out.println("[measured] the caller removed in A, logged in in B within the lag, was gone from both after "
                + gone + " ms (and still gone " + LAG.multipliedBy(3).toSeconds() + " s later)");
        assertEquals(401, a.post(asCaller).status(), "refused in A");
        assertEquals(401, b.post(asCaller).status(), "refused in B");
    }

    static boolean present(DynamoDbClient in, String caller) {
        return operator(in).caller("1", caller).isPresent();
    }

    @Test
    @Order(9)
    void whenRegionAsDynamoDbIsGoneItsHealthSays503AndRegionBServesAsUsers() throws InterruptedException {
        String user = newUser(dynamoA); // one of A's users
        arrives(dynamoB, user);
        assertEquals(200, a.get("/q/health/ready").status());
        assertEquals(200, b.get("/q/health/ready").status());

        replicator.pause(true); // a region that is down replicates nothing either
        proxyA.resetAll();
        proxyA.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        long start = System.nanoTime();
        Answer health = eventually(() -> a.get("/q/health/ready"), r -> r.status() == 503);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[measured] A's /q/health/ready answered 503 " + millis + " ms after its DynamoDB went");
        assertEquals(503, health.status(), health.body().toString());
        assertEquals("DOWN", health.body().path("status").asText());
        assertEquals(503, a.post(generate(user)).status(), "A cannot serve: the envelope's 503, nothing sent");

        assertEquals(200, b.get("/q/health/ready").status());
        Code code = issue(b, user);
        Answer ok = b.post(Flows.validateRequest(code.transactionId(), user, code.code()));
        assertEquals(200, ok.status(), "B serves A's user: " + ok.body());
        aUp();
        replicator.pause(false);
    }

    // ---- helpers

    static void aUp() {
        proxyA.resetAll();
        proxyA.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(localA.endpoint())));
    }

    static long tag(String region) {
        // the first 8 hex digits of a TransactionID issued there (HomeRegion)
        return Long.parseLong(new HomeRegion(region).newTransactionId().substring(0, 8), 16);
    }

    static CallerWrites operator(DynamoDbClient dynamo) {
        return new CallerWrites(dynamo, AwsLocalResource.CALLERS, AwsLocalResource.USERS);
    }

    /** A new user of domain 1 with a number of its own (cooldowns are per user and per destination), written there. */
    static String newUser(DynamoDbClient in) {
        String id = Integer.toString(USERS.incrementAndGet());
        operator(in).putUser("1", id, "user" + id, "+1415555" + id.substring(id.length() - 4), null, null, null);
        return id;
    }

    /** {@link #newUser} in {@code in}, once it has reached {@code other}. */
    static String newUserIn(DynamoDbClient in, DynamoDbClient other) throws InterruptedException {
        String id = newUser(in);
        arrives(other, id);
        return id;
    }

    static Map<String, AttributeValue> userItem(DynamoDbClient in, String user) {
        return in.getItem(r -> r.tableName(AwsLocalResource.USERS).key(Map.of("DomainId", s("1"), "UserID", s(user)))
                .consistentRead(true)).item();
    }

    static void arrives(DynamoDbClient in, String user) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!in.getItem(r -> r.tableName(AwsLocalResource.USERS).key(Map.of("DomainId", s("1"), "UserID", s(user)))
                    .consistentRead(true)).item().isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("user " + user + " was never replicated");
    }

    static String generate(String user) {
        return Seed.edit(root -> user(root, user));
    }

    static void user(ObjectNode root, String user) {
        root.with("objCommonParameters").with("objUserInformation").put("UserID", Long.parseLong(user))
                .put("LoginUID", Long.parseLong(user)).put("UserName", "user" + user);
    }

    static Code issue(RegionFunction region, String user) {
        Answer r = region.post(generate(user));
        assertEquals(200, r.status(), region.region() + ": " + r.body());
        List<Map<String, String>> sent = sentTo(user);
        return new Code(r.transactionId(), Recorded.code(sent.get(sent.size() - 1).get("Message"), 6), user);
    }

    static List<Map<String, String>> sentTo(String user) {
        String number = "+1415555" + user.substring(user.length() - 4);
        return Recorded.calls(sms, "Publish").stream().filter(p -> number.equals(p.get("PhoneNumber"))).toList();
    }

    /** Asks until the answer passes (replication is about a second late), for at most 20 s. */
    static Answer eventually(Supplier<Answer> ask, java.util.function.Predicate<Answer> done) throws InterruptedException {
        Answer last = null;
        for (int i = 0; i < 80; i++) {
            last = ask.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
