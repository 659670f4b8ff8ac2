package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The operators' tool against DynamoDB Local, and what it writes used through the real path. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class AdminTest extends FunctionTest {

    @Inject
    DynamoDbClient dynamo;

    String name;

    @BeforeEach
    void reset() {
        name = "ops-" + UUID.randomUUID() + "@sum.com";
    }

    @Test
    void aUserAndACallerWithAPasswordAreSavedAsHashesAndWork() {
        Run user = admin("", "user", "put", "--org", "1", "--domain", "1", "--user", "9001", "--name", "ops", "--mobile",
                "+14155559001", "--email", "ops@example.com");
        assertEquals(0, user.status, user.err);
        Run caller = admin("a long enough password\n", "caller", "put", "--org", "1", "--name", name,
                "--password-stdin", "--self", "1/9001");
        assertEquals(0, caller.status, caller.err);
        assertFalse(caller.out.contains("a long enough password"));

        Map<String, AttributeValue> item = data.callerItem("1", name);
        assertTrue(item.get("PasswordHash").s().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertFalse(item.toString().contains("a long enough password"), "no plain password stored");

        Response r = Flows.post(AuthTest.form(name, "a long enough password", "9001", "ops"));
        r.then().statusCode(200);
        assertEquals("+14155559001", Recorded.calls(aws, "Publish").get(0).get("PhoneNumber"));
        Flows.post(AuthTest.form(name, "a long enough password", "967", "abcd")).then().statusCode(403);

        Run regrant = admin("", "caller", "put", "--org", "1", "--name", name, "--generate-for", "1");
        assertEquals(0, regrant.status, regrant.err);
        Flows.post(AuthTest.form(name, "a long enough password", "967", "abcd")).then().statusCode(200);

        Run show = admin("", "caller", "show", "--org", "1", "--name", name);
        assertEquals(0, show.status, show.err);
        assertTrue(show.out.contains("password: set") && show.out.contains("self: 1/9001")
                && show.out.contains("generate for others in domains: 1"), show.out);
        assertFalse(show.out.contains("$argon2id"), "show never prints a hash");

        assertEquals(0, admin("", "caller", "remove", "--org", "1", "--name", name).status);
        Flows.post(AuthTest.form(name, "a long enough password", "9001", "ops")).then().statusCode(401);
    }

    @Test
    void aKeyIsPrintedOnceStoredAsAHashRotatedAndRevoked() {
        assertEquals(0, admin("", "caller", "put", "--org", "1", "--name", name, "--generate-for", "1").status);
        Run add = admin("", "key", "add", "--org", "1", "--name", name, "--days", "30");
        assertEquals(0, add.status, add.err);
        String key = add.out.trim();
        String keyId = ApiKeys.parse(key).orElseThrow().keyId();
        assertTrue(add.err.contains(keyId) && !add.err.contains(key), "the key goes to standard output only");
        assertFalse(data.callerItem("1", name).toString().contains(key.substring(key.lastIndexOf('.') + 1)));
        Flows.post(AuthTest.apiKey(key)).then().statusCode(200);

        Run show = admin("", "caller", "show", "--org", "1", "--name", name);
        assertTrue(show.out.contains("key " + keyId + ": expires "), show.out);
        assertFalse(show.out.contains(key) || show.out.contains(ApiKeys.sha256(key)), "show never prints a key or hash");

        Run rotate = admin("", "key", "rotate", "--org", "1", "--name", name, "--key-id", keyId);
        assertEquals(0, rotate.status, rotate.err);
        String newKey = rotate.out.trim();
        data.clearLimits(); // as if the send cooldown had passed
        Flows.post(AuthTest.apiKey(newKey)).then().statusCode(200);
        Flows.post(AuthTest.apiKey(key)).then().statusCode(401);

        String newId = ApiKeys.parse(newKey).orElseThrow().keyId();
        assertEquals(0, admin("", "key", "revoke", "--org", "1", "--name", name, "--key-id", newId).status);
        Flows.post(AuthTest.apiKey(newKey)).then().statusCode(401);
    }

    @Test
    void everyNounHasAShortHelpAndAWrongArgumentIsAClearNonZeroExit() {
        Run caller = admin("", "caller", "--help");
        assertEquals(0, caller.status);
        assertTrue(caller.out.startsWith("Usage: admin caller") && caller.out.contains("unlock")
                && caller.out.contains("revoke-tokens"), caller.out);
        assertFalse(caller.out.contains("--code-length"), "only the caller verbs: " + caller.out);
        assertTrue(caller.out.contains("--password-stdin reads the password"), "and the notes: " + caller.out);
        Run org = admin("", "org", "put", "--help");
        assertTrue(org.out.startsWith("Usage: admin org put") && org.out.contains("--code-length")
                && !org.out.contains("key-id"), org.out);
        Run all = admin("", "--help");
        assertEquals(0, all.status);
        assertTrue(all.out.contains("key ") && all.out.contains("user ") && all.out.contains("caller "), all.out);

        Run unknown = admin("", "caller", "frobnicate", "--org", "1", "--name", name);
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.startsWith("Unknown command: caller frobnicate"), unknown.err);
        Run stray = admin("", "caller", "show", "--org", "1", "--name", name, "stray");
        assertEquals(2, stray.status);
        assertTrue(stray.err.startsWith("Unexpected argument: stray"), stray.err);
        Run badOrg = admin("", "user", "put", "--org", "a#b", "--domain", "1", "--user", "1", "--name", "x");
        assertEquals(2, badOrg.status);
        assertTrue(badOrg.err.startsWith("--org may hold only letters, digits and . _ @ : -"), badOrg.err);
    }

    @Test
    void refusesPasswordsOnTheCommandLineAndKeysForUnknownCallers() {
        Run onCommandLine = admin("", "caller", "put", "--org", "1", "--name", name, "--password", "secret-123");
        assertEquals(2, onCommandLine.status);
        assertTrue(onCommandLine.err.contains("never taken on the command line"), onCommandLine.err);
        Run shortOne = admin("short\n", "caller", "put", "--org", "1", "--name", name, "--password-stdin");
        assertEquals(1, shortOne.status);
        assertTrue(data.callerItem("1", name).isEmpty(), "nothing stored");

        Run key = admin("", "key", "add", "--org", "1", "--name", name);
        assertEquals(1, key.status);
        assertEquals("", key.out, "no key printed when none was stored");
        assertFalse(key.err.contains("OGK1"), key.err);
    }

    @Test
    void unlockLetsACallerLockedOutByWrongPasswordsInAtOnce() {
        data.caller("1", name, "the-right-password", "1/967", java.util.Set.of());
        for (int i = 0; i < 3; i++) { // the source's free wrong passwords: it now waits
            Flows.post(AuthTest.form(name, "wrong-password-" + i, "967", "abcd")).then().statusCode(401);
        }
        Flows.post(AuthTest.form(name, "the-right-password", "967", "abcd")).then().statusCode(401);
        Run show = admin("", "caller", "show", "--org", "1", "--name", name);
        assertTrue(show.out.contains("wrong passwords (all sources): 3 in the window ending "), show.out);

        Run unlock = admin("", "caller", "unlock", "--org", "1", "--name", name);
        assertEquals(0, unlock.status, unlock.err);
        assertTrue(unlock.out.contains("(2 records)"), unlock.out); // the source's record and the ceiling
        assertTrue(data.ceilingItem("1", name).isEmpty(), "the ceiling forgotten");
        Flows.post(AuthTest.form(name, "the-right-password", "967", "abcd")).then().statusCode(200);

        Run nobody = admin("", "caller", "unlock", "--org", "1", "--name", "nobody-" + name);
        assertEquals(1, nobody.status);
        assertTrue(nobody.err.contains("No such caller"), nobody.err);
        assertTrue(data.callerItem("1", "nobody-" + name).isEmpty(), "unlock never creates a caller");

        Run help = admin("", "caller", "frobnicate", "--org", "1", "--name", name);
        assertEquals(2, help.status);
        assertTrue(help.err.contains("Usage: admin caller") && help.err.contains("unlock") && help.err.contains("lock")
                && help.err.contains("revoke-tokens"), help.err);
    }

    @Test
    void anOperatorLockRefusesThePasswordAndTheKeyUntilUnlocked() {
        data.caller("1", name, "the-right-password", "1/967", java.util.Set.of());
        Run add = admin("", "key", "add", "--org", "1", "--name", name);
        assertEquals(0, add.status, add.err);
        String key = add.out.trim();

        Run lock = admin("", "caller", "lock", "--org", "1", "--name", name);
        assertEquals(0, lock.status, lock.err);
        assertTrue(admin("", "caller", "show", "--org", "1", "--name", name).out.contains("locked by an operator"));
        for (String request : new String[] { AuthTest.form(name, "the-right-password", "967", "abcd"),
                AuthTest.apiKey(key) }) {
            Response r = Flows.post(request);
            assertEquals(401, r.statusCode(), r.asString());
            assertEquals(AuthTest.INVALID, r.path("Errors"), "the answer of a wrong password");
        }
        assertEquals(0, Recorded.all(aws), "nothing sent");

        assertEquals(0, admin("", "caller", "unlock", "--org", "1", "--name", name).status);
        Flows.post(AuthTest.form(name, "the-right-password", "967", "abcd")).then().statusCode(200);
        data.clearLimits();
        Flows.post(AuthTest.apiKey(key)).then().statusCode(200);
        assertFalse(admin("", "caller", "show", "--org", "1", "--name", name).out.contains("locked"));
    }

    @Test
    void orgPutRefusesTextsOfManySegmentsAndHeadersThatBreakTheirLine() {
        String org = "texts-" + UUID.randomUUID().toString().substring(0, 8);
        Run subject = admin("", "org", "put", "--org", org, "--locale", "en", "--sms", "Code %1$s",
                "--email-subject", "Code\r\nBcc: victim@evil.example", "--email-body", "Code %1$s");
        assertEquals(1, subject.status, subject.out + subject.err);
        assertTrue(subject.out.contains("template en email-subject: 1 to 200 characters on one line"), subject.out);
        Run sender = admin("", "org", "put", "--org", org, "--email-sender", "OTP <otp@example.com>\r\nBcc: victim@evil.example");
        assertEquals(1, sender.status, sender.out + sender.err);
        assertTrue(sender.out.contains("email-sender: an address, such as OTP <otp@example.com>, on one line"), sender.out);
        Run sms = admin("", "org", "put", "--org", org, "--locale", "en", "--sms", "Code %1$s " + "a".repeat(460),
                "--email-subject", "Code", "--email-body", "Code %1$s");
        assertEquals(1, sms.status, sms.out + sms.err);
        assertTrue(sms.out.contains("template en sms: at most 3 SMS segments"), sms.out);
        assertTrue(admin("", "org", "show", "--org", org).out.contains("has no settings"), "nothing stored");
        assertEquals(0, admin("", "org", "put", "--org", org, "--locale", "en", "--sms", "Code %1$s " + "a".repeat(440),
                "--email-subject", "s".repeat(200), "--email-body", "Code %1$s").status, "three segments and 200 characters pass");
    }

    record Run(int status, String out, String err) {
    }

    Run admin(String stdin, String... args) {
        Operator.Run run = Operator.run(dynamo, stdin, args);
        return new Run(run.status(), run.out(), run.err());
    }
}
