package dev.otpgate;

import static dev.otpgate.support.Flows.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.Tokens;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Flows.Issued;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Caller authentication through the real path: FORM, APIKEY, TokenID, grants, lockout (more in AuthLockoutTest). */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class AuthTest extends FunctionTest {

    static final String TOKEN_KEY = "dGVzdCB0b2tlbiBrZXkgLSBub3QgYSBzZWNyZXQgLSAw"; // application.properties, %test
    static final String INVALID = "Unauthorized: invalid credentials";
    static final String FORBIDDEN = "The caller may not generate an OTP for this user";
    static final String NO_CREDENTIALS =
            "Unauthorized: send AuthType FORM with UserName and Password, AuthType APIKEY with APIKey, or a TokenID";

    @BeforeEach
    void reset() {
        data.user("1", "968", "efgh", "+14155550168", "efgh@example.com");
        AwsCallCounter.reset(); // the seeding above is not the function's
    }

    // ---- FORM and the TokenID

    @Test
    void formAnswersPasswordAndATokenIdThatAFollowUpUsesAloneWithNoAwsCallToAuthenticate() {
        Response first = post(Seed.request());
        first.then().statusCode(200);
        assertEquals("password", first.path("OutputObject.OTP_Communication[0].AuthenticationType"));
        String token = first.path("TokenID");
        assertTrue(token.matches("[0-9A-F]{128,}"), token);

        for (int i = 0; i < 2; i++) { // reusable until it expires
            data.clearLimits(); // as if the send cooldown had passed
            AwsCallCounter.reset();
            Response again = post(tokenOnly(token));
            again.then().statusCode(200);
            assertEquals("token", again.path("OutputObject.OTP_Communication[0].AuthenticationType"));
            assertEquals(token, again.path("TokenID"));
            assertEquals(List.of("DynamoDb.GetItem otp-users", "DynamoDb.TransactWriteItems", "Sns.Publish"),
                    AwsCallCounter.callsWithTables(), "no call to authenticate a TokenID");
        }
        assertEquals(3, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void twoLoginsGetDifferentTokens() {
        String a = sent(Seed.request()).path("TokenID");
        String b = sent(Seed.request()).path("TokenID");
        assertNotEquals(a, b);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Tokens tokens = new Tokens(TOKEN_KEY);
        Caller seedCaller = new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null, Set.of("1"));
        // the same caller with a minute left works: only the expiry differs
        post(tokenOnly(tokens.issue(seedCaller, Instant.now(), Instant.now().plusSeconds(60)))).then().statusCode(200);
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();

        Response expired = post(tokenOnly(tokens.issue(seedCaller, Instant.now(), Instant.now().minusSeconds(1))));
        assertRefusedBeforeAnything(expired, 401, "Unauthorized: the TokenID has expired; authenticate again");
    }

    @Test
    void aTokenLastsTheConfiguredHundredMinutes() {
        Instant before = Instant.now();
        String token = post(Seed.request()).path("TokenID");
        Instant expires = new Tokens(TOKEN_KEY).open(token).orElseThrow().expiresAt();
        Duration left = Duration.between(before, expires);
        assertTrue(left.compareTo(Duration.ofMinutes(99)) > 0 && left.compareTo(Duration.ofMinutes(101)) < 0,
                left.toString());
    }

    @Test
    void anAlteredOrForeignTokenIsRefused() {
        String token = post(Seed.request()).path("TokenID");
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();
        List<String> forged = List.of(
                flip(token, token.length() - 1), // the tag
                flip(token, 40), // the content
                flip(token, 4), // the nonce
                token.substring(0, token.length() - 2), // cut short
                token + "00",
                new Tokens("YW5vdGhlci1rZXktYW5vdGhlci1rZXktYW5vdGhlci1rZXk=").issue(
                        new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null, Set.of("1")),
                        Instant.now(), Instant.now().plusSeconds(600)),
                "01" + token.substring(2), // a version 1 token: refused, its client authenticates again
                "not hex at all",
                "00");
        for (String f : forged) {
            assertRefusedBeforeAnything(post(tokenOnly(f)), 401, "Unauthorized: invalid TokenID");
        }
    }

    @Test
    void aTokenIsBoundToItsCallerAndActsOnlyInItsOrganisation() {
        String token = post(Seed.request()).path("TokenID");
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();
        // Another OrgID: that organisation's users do not exist for this caller (issue 10: the unknown-user answer)
        assertRefusedBeforeAnything(post(withProxy(p -> p.put("TokenID", token).put("OrgID", "2")
                .remove(List.of("Password", "AuthType", "UserName")))), 404, UNKNOWN_USER);
        assertRefusedBeforeAnything(post(withProxy(p -> p.put("TokenID", token).put("UserName", "other@sum.com")
                .remove(List.of("Password", "AuthType")))), 401, "Unauthorized: invalid TokenID");
    }

    // ---- APIKEY

    @Test
    void anApiKeyAloneAuthenticatesWithOneReadAndGetsAToken() {
        String caller = "svc-" + UUID.randomUUID();
        data.caller("1", caller, null, null, Set.of("1"));
        String key = newKey(caller, Instant.now().plus(Duration.ofDays(1)));
        AwsCallCounter.reset();

        Response r = post(apiKey(key));
        r.then().statusCode(200);
        assertEquals("apikey", r.path("OutputObject.OTP_Communication[0].AuthenticationType"));
        assertEquals(List.of("DynamoDb.GetItem otp-callers", "DynamoDb.GetItem otp-users",
                "DynamoDb.TransactWriteItems", "Sns.Publish"), AwsCallCounter.callsWithTables());
        sent(tokenOnly(r.path("TokenID"))).then()
                .body("OutputObject.OTP_Communication[0].AuthenticationType", org.hamcrest.Matchers.equalTo("token"));
    }

    @Test
    void aWrongRevokedOrExpiredApiKeyIsRefused() {
        String caller = "svc-" + UUID.randomUUID();
        data.caller("1", caller, null, null, Set.of("1"));
        String key = newKey(caller, Instant.now().plus(Duration.ofDays(1)));
        String expired = newKey(caller, Instant.now().minusSeconds(1));
        String revoked = newKey(caller, Instant.now().plus(Duration.ofDays(1)));
        String revokedId = ApiKeys.parse(revoked).orElseThrow().keyId();
        assertTrue(data.callers().revokeKey("1", caller, revokedId));
        AwsCallCounter.reset();

        assertRefusedBeforeAnything(post(apiKey(flip(key, key.length() - 1))), 401, INVALID);
        assertRefusedBeforeAnything(post(apiKey(key.replace("." + ApiKeys.parse(key).orElseThrow().keyId() + ".",
                ".00000000."))), 401, INVALID);
        assertRefusedBeforeAnything(post(apiKey("XXXXXXXXXXXXX")), 401, INVALID);
        // A key of org 1 sent with OrgID 2 proves its caller, who acts only in org 1: the unknown-user answer
        assertRefusedBeforeAnything(post(withProxy(p -> p.put("AuthType", "APIKEY").put("APIKey", key).put("OrgID", "2")
                .remove(List.of("Password", "UserName")))), 404, UNKNOWN_USER);
        assertRefusedBeforeAnything(post(apiKey(revoked)), 401, "Unauthorized: the APIKey has been revoked");
        assertRefusedBeforeAnything(post(apiKey(expired)), 401, "Unauthorized: the APIKey has expired");
        post(apiKey(key)).then().statusCode(200); // the good key still works
    }

    @Test
    void onlyTheHashOfAKeyIsStored() {
        String caller = "svc-" + UUID.randomUUID();
        data.caller("1", caller, null, null, Set.of());
        String key = newKey(caller, Instant.now().plus(Duration.ofDays(1)));
        String stored = data.callerItem("1", caller).toString();
        assertFalse(stored.contains(key.substring(key.lastIndexOf('.') + 1)), stored);
        assertTrue(stored.contains(ApiKeys.sha256(key)), stored);
    }

    // ---- Who may do what

    @Test
    void aCallerMayGenerateForItselfButForOthersOnlyWithThePermission() {
        String caller = "self-" + UUID.randomUUID() + "@sum.com";
        data.caller("1", caller, "self-password-1", "1/967", Set.of());
        post(form(caller, "self-password-1", "967", "abcd")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].AuthenticationType", org.hamcrest.Matchers.equalTo("password"));
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();

        Response other = post(form(caller, "self-password-1", "968", "efgh"));
        assertForbiddenBeforeTheTargetIsLookedUp(other);

        String token = sent(form(caller, "self-password-1", "967", "abcd")).path("TokenID");
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();
        assertForbiddenBeforeTheTargetIsLookedUp(post(Seed.edit(root -> {
            tokenOnlyProxy(root, token);
            user(root).put("UserID", 968).put("UserName", "efgh");
        })));
    }

    @Test
    void thePermissionToGenerateForOthersIsForItsDomainsOnly() {
        String caller = "other-domain-" + UUID.randomUUID();
        data.caller("1", caller, "domain-two-password", null, Set.of("2"));
        AwsCallCounter.reset();
        assertForbiddenBeforeTheTargetIsLookedUp(post(form(caller, "domain-two-password", "967", "abcd")));
    }

    // ---- ADM_ValidateOTP is authenticated the same way

    @Test
    void validationNeedsACallerAndAnswersWithItsToken() {
        Response generated = post(Seed.request());
        generated.then().statusCode(200);
        String token = generated.path("TokenID");
        String transactionId = generated.path("OutputObject.OTP_Communication[0].TransactionID");
        String code = Recorded.code(Recorded.calls(aws, "Publish").get(0).get("Message"), 6);
        AwsLocalResource.stubProvidersUp(aws);
        AwsCallCounter.reset();

        assertRefusedBeforeAnything(post(validation(transactionId, code, p -> p.removeAll())), 401, NO_CREDENTIALS);
        assertEquals(List.of(), AwsCallCounter.calls(), "the transaction is not even read");

        Response ok = post(validation(transactionId, code,
                p -> p.put("TokenID", token).remove(List.of("Password", "AuthType", "UserName"))));
        ok.then().statusCode(200);
        assertEquals(token, ok.path("TokenID"));
        assertEquals(List.of("DynamoDb.GetItem", "DynamoDb.TransactWriteItems"), AwsCallCounter.calls(),
                "a TokenID costs validation no extra call");
    }

    @Test
    void aCallerCannotValidateACodeOfAUserItMayNotActFor() {
        Issued otp = Flows.generate(aws); // for 1/967, by the seed's caller
        String caller = "self-968-" + UUID.randomUUID();
        data.caller("1", caller, "password-of-968", "1/968", Set.of());
        Response refused = post(validation(otp.transactionId(), otp.code(),
                p -> p.put("UserName", caller).put("Password", "password-of-968")));
        refused.then().statusCode(404);
        assertEquals("Unknown TransactionID for this LoginUID", refused.path("Errors"), "the same as no such code");
        Flows.validate(otp.transactionId(), "967", otp.code()).then().statusCode(200); // the code was not spent
    }

    // ---- Wrong passwords

    @DisabledOnIntegrationTest("moves the function's Clock bean (QuarkusMock): only a test-mode function has beans to reach")
    @Test
    void wrongPasswordsMakeTheirSourceWaitAndTheWaitEndsByItself() {
        // docs/authentication.md: 3 free wrong passwords per (caller, source), then 1 s, 2 s, 4 s ... up to 15 min.
        String caller = "lock-" + UUID.randomUUID();
        data.caller("1", caller, "the-right-password", null, Set.of("1"));
        Instant now = Instant.now();
        QuarkusMock.installMockForType(Clock.fixed(now, java.time.ZoneOffset.UTC), Clock.class);
        AwsCallCounter.reset();
        for (int i = 0; i < 3; i++) {
            assertRefusedBeforeAnything(post(form(caller, "wrong-password-" + i, "967", "abcd")), 401, INVALID);
        }
        Map<String, AttributeValue> record = sourceRecord(caller);
        assertEquals("3", record.get("Count").n());
        assertEquals(now.toEpochMilli() + 1000, Long.parseLong(record.get("BlockedUntil").n()),
                "the wait is stored as the moment it ends");

        Response waiting = post(form(caller, "the-right-password", "967", "abcd"));
        assertRefusedBeforeAnything(waiting, 401, INVALID);
        assertEquals("3", sourceRecord(caller).get("Count").n(), "a refused attempt is not counted again");

        QuarkusMock.installMockForType(Clock.fixed(now.plusMillis(1000), java.time.ZoneOffset.UTC), Clock.class);
        post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(200);
        assertNoFailures(sourceRecord(caller), "a right password forgets the source's failures");
        assertEquals("3", data.ceilingItem("1", caller).get("Failures").n(),
                "the caller's ceiling counts wrong passwords per window: a right one does not reset it");
    }

    /**
     * The callers table is global (docs/regions.md): a login that wrote the caller's item in one region would be
     * the last writer of it and undo an operator's removal or revocation made in the other within the lag. So a
     * FORM login, right or wrong, only reads it; its ceiling is counted in the limits table. A count that an
     * earlier version left on the caller's item (at the ceiling, in a window still running) is ignored.
     */
    @Test
    void aPasswordLoginNeverWritesTheCallersItem() {
        String caller = "readonly-" + UUID.randomUUID();
        data.caller("1", caller, "the-right-password", null, Set.of("1"));
        data.oldFormatFailures("1", caller, 100, Instant.now().getEpochSecond() / 60);
        Map<String, AttributeValue> before = data.callerItem("1", caller);
        assertRefusedBeforeAnything(post(form(caller, "wrong-password", "967", "abcd")), 401, INVALID);
        assertEquals("1", data.ceilingItem("1", caller).get("Failures").n(), "counted in the limits table");
        long endsAt = Long.parseLong(data.ceilingItem("1", caller).get("FailWindowEndsAt").n());
        long expected = Instant.now().getEpochSecond() + Duration.ofHours(1).toSeconds();
        assertTrue(Math.abs(endsAt - expected) < 30, endsAt + " vs " + expected);
        assertEquals(endsAt, Long.parseLong(data.ceilingItem("1", caller).get("ExpiresAt").n()),
                "the ceiling's item expires (TTL) when its window ends");
        data.endCooldowns();
        post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(200);
        assertEquals("1", data.ceilingItem("1", caller).get("Failures").n(), "the right password given back, the wrong one kept");
        assertEquals(before, data.callerItem("1", caller), "the caller's item is as the operator left it");
    }

    @DisabledOnIntegrationTest("moves the function's Clock bean (QuarkusMock): only a test-mode function has beans to reach")
    @Test
    void aCallerAtItsCeilingLetsASourceWithFailuresInAgainOnceTheClockPassesTheWindowEnd() {
        String caller = "window-" + UUID.randomUUID();
        data.caller("1", caller, "the-right-password", null, Set.of("1"));
        post(form(caller, "wrong-password", "967", "abcd")).then().statusCode(401); // this source has a failure
        ceilingReached(caller); // as if 99 more had come from other addresses in this window
        post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(401);

        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(59)), Clock.class);
        post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(401); // still in the window
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofHours(1).plusSeconds(5)),
                Clock.class);
        post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(200);
        assertEquals("0", data.ceilingItem("1", caller).get("Failures").n(), "a new window, the attempt given back");
        assertNoFailures(sourceRecord(caller));
    }

    @Test
    void aRightPasswordForgetsEarlierFailuresOfItsSource() {
        String caller = "forget-" + UUID.randomUUID();
        data.caller("1", caller, "the-right-password", null, Set.of("1"));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2; i++) { // below the 3 free ones: no wait
                post(form(caller, "wrong-" + i, "967", "abcd")).then().statusCode(401);
            }
            data.endCooldowns(); // not clearLimits: the source's record is in the limits table
            post(form(caller, "the-right-password", "967", "abcd")).then().statusCode(200);
            assertNoFailures(sourceRecord(caller));
        }
    }

    @Test
    void anUnknownCallerAndAWrongPasswordGetTheSameAnswerInAboutTheSameTime() {
        String caller = "timing-" + UUID.randomUUID();
        data.caller("1", caller, "the-right-password", null, Set.of("1"));
        post(form("nobody-" + UUID.randomUUID(), "some-password", "967", "abcd")); // warm-up
        AwsCallCounter.reset();
        List<Long> unknown = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        Response lastUnknown = null;
        Response lastWrong = null;
        for (int i = 0; i < 4; i++) { // the 4th wrong password waits: refused after a dummy check, the same answer
            long t0 = System.nanoTime();
            lastUnknown = post(form("nobody-" + UUID.randomUUID(), "some-password", "967", "abcd"));
            long t1 = System.nanoTime();
            lastWrong = post(form(caller, "some-password", "967", "abcd"));
            long t2 = System.nanoTime();
            unknown.add(t1 - t0);
            wrong.add(t2 - t1);
        }
        assertEquals(401, lastUnknown.statusCode());
        assertEquals(401, lastWrong.statusCode());
        assertEquals(lastWrong.asString(), lastUnknown.asString());
        assertEquals(INVALID, lastUnknown.path("Errors"));
        long u = median(unknown);
        long w = median(wrong);
        // An unknown caller is checked against a dummy Argon2id hash: without it, it would answer many times faster.
        assertTrue(u * 2 > w, "unknown " + u / 1_000_000 + " ms vs wrong password " + w / 1_000_000 + " ms");
        assertEquals(0, Recorded.all(aws));
    }

    // ---- No credentials

    @ParameterizedTest
    @ValueSource(strings = { "no _ProxyDetails", "no AuthType", "SSO", "FORM without Password", "FORM without OrgID",
            "APIKEY without APIKey" })
    void missingOrUnsupportedCredentialsAreRefusedBeforeAnything(String what) {
        Consumer<ObjectNode> edit = switch (what) {
            case "no _ProxyDetails" -> p -> p.removeAll();
            case "no AuthType" -> p -> p.remove("AuthType");
            case "SSO" -> p -> p.put("AuthType", "SSO");
            case "FORM without Password" -> p -> p.put("Password", "");
            case "FORM without OrgID" -> p -> p.remove("OrgID");
            default -> p -> p.put("AuthType", "APIKEY").remove("APIKey");
        };
        Response r = post(what.equals("no _ProxyDetails")
                ? Seed.edit(root -> ((ObjectNode) root.get("objCommonParameters")).remove("_ProxyDetails"))
                : withProxy(edit));
        assertEquals(401, r.statusCode(), r.asString());
        assertTrue(((String) r.path("Errors")).startsWith("Unauthorized: "), r.asString());
        assertRefusedBeforeAnything(r, 401, r.path("Errors"));
    }

    // ---- helpers

    /** A source's record after a right password: no failures, only its last login (or nothing). */
    private static void assertNoFailures(Map<String, AttributeValue> record, String... why) {
        assertTrue(record == null || !record.containsKey("Count"), String.join("", why) + ": " + record);
    }

    /** The wrong-password record of the tests' source (the mock event server's 127.0.0.1), or null. */
    private Map<String, AttributeValue> sourceRecord(String caller) {
        String key = "authfail#1:1" + caller.length() + ":" + caller + "#127.0.0.1";
        Map<String, AttributeValue> item = data.dynamo().getItem(r -> r.tableName(AwsLocalResource.LIMITS)
                .key(Map.of("LimitKey", AttributeValue.fromS(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** The caller's ceiling (100 wrong passwords) reached in a window ending in an hour. */
    private void ceilingReached(String caller) {
        data.ceiling("1", caller, 100, Instant.now().getEpochSecond() + 3600);
    }

    /** A failed authentication: the status, the words, no TokenID, and nothing looked up or sent. */
    static final String UNKNOWN_USER = "No user matches DomainId, UserID and UserName";

    private void assertRefusedBeforeAnything(Response r, int status, String errors) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(errors, r.path("Errors"));
        assertEquals("", r.path("TokenID"));
        assertNull(r.path("OutputObject"));
        assertEquals(0, Recorded.all(aws), "nothing sent");
        assertEquals(List.of(), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS), "no target looked up");
    }

    private void assertForbiddenBeforeTheTargetIsLookedUp(Response r) {
        assertEquals(403, r.statusCode(), r.asString());
        assertEquals(FORBIDDEN, r.path("Errors"));
        assertEquals(0, Recorded.all(aws), "nothing sent");
        assertEquals(List.of(), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS), "no target looked up");
    }

    /** A generate that must succeed: the send limits cleared first, as if the cooldown had passed. */
    private Response sent(String body) {
        data.clearLimits();
        Response r = post(body);
        r.then().statusCode(200);
        return r;
    }

    private String newKey(String caller, Instant expires) {
        ApiKeys.Issued issued = new ApiKeys().issue("1", caller);
        assertTrue(data.callers().addKey("1", caller, issued.keyId(), issued.sha256(), expires, Instant.now()));
        return issued.key();
    }

    static String form(String userName, String password, String userId, String targetName) {
        return Seed.edit(root -> {
            proxy(root).put("UserName", userName).put("Password", password);
            user(root).put("UserID", Integer.parseInt(userId)).put("UserName", targetName);
        });
    }

    static String apiKey(String key) {
        return withProxy(p -> p.put("AuthType", "APIKEY").put("APIKey", key).remove(List.of("Password", "UserName")));
    }

    static String tokenOnly(String token) {
        return Seed.edit(root -> tokenOnlyProxy(root, token));
    }

    static void tokenOnlyProxy(ObjectNode root, String token) {
        proxy(root).put("TokenID", token).remove(List.of("Password", "AuthType", "UserName"));
    }

    /** The ADM_ValidateOTP request of Flows, for LoginUID 967, with its _ProxyDetails edited. */
    static String validation(String transactionId, String code, Consumer<ObjectNode> proxyEdit) {
        ObjectNode root = (ObjectNode) Seed.tree(Flows.validateRequest(transactionId, "967", code));
        proxyEdit.accept(proxy(root));
        return root.toString();
    }

    static String withProxy(Consumer<ObjectNode> edit) {
        return Seed.edit(root -> edit.accept(proxy(root)));
    }

    static ObjectNode proxy(ObjectNode root) {
        return (ObjectNode) root.path("objCommonParameters").path("_ProxyDetails");
    }

    static ObjectNode user(ObjectNode root) {
        return (ObjectNode) root.path("objCommonParameters").path("objUserInformation");
    }

    static String flip(String s, int at) {
        char c = s.charAt(at);
        char other = c == 'A' ? 'B' : (c == '0' ? '1' : (Character.isDigit(c) ? '0' : 'A'));
        return s.substring(0, at) + other + s.substring(at + 1);
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
    }
}
