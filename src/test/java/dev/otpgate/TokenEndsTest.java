package dev.otpgate;

import static dev.otpgate.AuthTest.apiKey;
import static dev.otpgate.AuthTest.form;
import static dev.otpgate.AuthTest.tokenOnly;
import static dev.otpgate.support.Flows.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.Tokens;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What ends a caller's TokenIDs before they expire (audit issue 8, defect 7): each operator action that
 * takes something away from a caller ends its TokenIDs within a minute, through the function's real path.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class TokenEndsTest extends FunctionTest {

    static final String CALLER_READ = "DynamoDb.GetItem otp-callers";
    static final String INVALID_TOKEN = "Unauthorized: invalid TokenID";
    static final String PASSWORD = "the-right-password";
    static final String REVOKED = "Unauthorized: the APIKey has been revoked";
    static final String NEW_PASSWORD = "a-brand-new-password";

    @Inject
    DynamoDbClient dynamo;

    String name;
    String key;

    @BeforeEach
    void aCallerWithAPasswordAndAKey() {
        name = "tokens-" + UUID.randomUUID() + "@sum.com";
        data.user("1", "968", "efgh", "+14155550168", "efgh@example.com");
        data.caller("1", name, PASSWORD, "1/967", Set.of("1"));
        Operator.Run add = Operator.run(dynamo, "", "key", "add", "--org", "1", "--name", name, "--days", "30");
        assertEquals(0, add.status(), add.err());
        key = add.out().trim();
    }

    @ParameterizedTest
    @ValueSource(strings = { "caller remove", "key revoke", "key rotate", "password change", "grants removal",
            "caller lock", "caller revoke-tokens" })
    void anOperatorActionEndsTheCallersTokenIdsWithinAMinute(String action) {
        String byPassword = sent(form(name, PASSWORD, "967", "abcd")).path("TokenID");
        String byKey = sent(apiKey(key)).path("TokenID");
        sent(tokenOnly(byPassword));
        sent(tokenOnly(byKey));
        String keyId = ApiKeys.parse(key).orElseThrow().keyId();

        Operator.Run run = switch (action) {
            case "caller remove" -> admin("", "caller", "remove");
            case "key revoke" -> admin("", "key", "revoke", "--key-id", keyId);
            case "key rotate" -> admin("", "key", "rotate", "--key-id", keyId);
            case "password change" -> admin(NEW_PASSWORD + "\n", "caller", "put", "--password-stdin");
            case "grants removal" -> admin("", "caller", "put", "--generate-for", "none");
            case "caller lock" -> admin("", "caller", "lock");
            default -> admin("", "caller", "revoke-tokens");
        };
        assertEquals(0, run.status(), run.err());

        // A minute later, as far as the function can tell: every cached view of the caller has expired.
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61)), Clock.class);
        for (String token : List.of(byPassword, byKey)) {
            data.clearLimits();
            Response refused = post(tokenOnly(token));
            assertEquals(401, refused.statusCode(), action + ": " + refused.asString());
            assertEquals(INVALID_TOKEN, refused.path("Errors"));
            assertEquals("", refused.path("TokenID"));
        }

        // A fresh login, where the action left one possible, works and its TokenID too.
        switch (action) {
            case "caller remove", "caller lock" -> {
                refusedLogin(form(name, PASSWORD, "967", "abcd"), AuthTest.INVALID);
                refusedLogin(apiKey(key), AuthTest.INVALID);
            }
            case "key revoke" -> {
                refusedLogin(apiKey(key), REVOKED);
                worksWithItsToken(form(name, PASSWORD, "967", "abcd"));
            }
            case "key rotate" -> {
                refusedLogin(apiKey(key), REVOKED);
                worksWithItsToken(apiKey(run.out().trim()));
                worksWithItsToken(form(name, PASSWORD, "967", "abcd"));
            }
            case "password change" -> {
                refusedLogin(form(name, PASSWORD, "967", "abcd"), AuthTest.INVALID);
                worksWithItsToken(form(name, NEW_PASSWORD, "967", "abcd"));
                worksWithItsToken(apiKey(key));
            }
            case "grants removal" -> {
                worksWithItsToken(form(name, PASSWORD, "967", "abcd")); // itself: still allowed
                data.clearLimits();
                assertEquals(403, post(form(name, PASSWORD, "968", "efgh")).statusCode(), "no longer for others");
            }
            default -> {
                worksWithItsToken(form(name, PASSWORD, "967", "abcd"));
                worksWithItsToken(apiKey(key));
            }
        }
    }

    @Test
    void aRemovedCallerPutAgainUnderItsNameDoesNotGetItsOldTokenIdsBack() {
        String byPassword = sent(form(name, PASSWORD, "967", "abcd")).path("TokenID");
        String byKey = sent(apiKey(key)).path("TokenID");
        Operator.Run removed = admin("", "caller", "remove");
        assertEquals(0, removed.status(), removed.err());
        Operator.Run again = admin("", "caller", "put"); // the same name again, with no options at all
        assertEquals(0, again.status(), again.err());

        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61)), Clock.class);
        for (String token : List.of(byPassword, byKey)) {
            data.clearLimits();
            Response refused = post(tokenOnly(token));
            assertEquals(401, refused.statusCode(), "a TokenID issued before the removal: " + refused.asString());
            assertEquals(INVALID_TOKEN, refused.path("Errors"));
        }

        // The new caller's own logins and TokenIDs work.
        Operator.Run password = admin(NEW_PASSWORD + "\n", "caller", "put", "--password-stdin", "--self", "1/967");
        assertEquals(0, password.status(), password.err());
        worksWithItsToken(form(name, NEW_PASSWORD, "967", "abcd"));
    }

    @Test
    void aTokenIdCostsOneReadOfItsCallerAMinuteAndNoneOnAWarmCache() {
        // A TokenID whose caller this instance has not seen (issued by another instance, say): one read.
        String token = new Tokens(AuthTest.TOKEN_KEY).issue(
                new Caller("1", name, AuthMethod.PASSWORD, "1", "967", Set.of("1")), Instant.now(),
                Instant.now().plus(Duration.ofMinutes(100)));
        assertEquals(List.of(CALLER_READ, "DynamoDb.GetItem otp-users", "DynamoDb.TransactWriteItems", "Sns.Publish"),
                tokenCall(token));
        for (int i = 0; i < 3; i++) { // then none within the minute
            assertEquals(List.of("DynamoDb.GetItem otp-users", "DynamoDb.TransactWriteItems", "Sns.Publish"),
                    tokenCall(token), "no call to check a TokenID on a warm cache");
        }

        // A minute later: exactly one read again, then none.
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61)), Clock.class);
        assertEquals(1, tokenCall(token).stream().filter(CALLER_READ::equals).count());
        assertEquals(0, tokenCall(token).stream().filter(CALLER_READ::equals).count());
        assertEquals(0, tokenCall(token).stream().filter(CALLER_READ::equals).count());

        // A login reads the whole item anyway: the TokenID it hands out costs no read for a minute.
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(122)), Clock.class);
        String fresh = sent(form(name, PASSWORD, "967", "abcd")).path("TokenID");
        assertEquals(0, tokenCall(fresh).stream().filter(CALLER_READ::equals).count());
        assertEquals(0, tokenCall(token).stream().filter(CALLER_READ::equals).count());
    }

    /** One generate with the TokenID alone, which must succeed: the AWS calls it made, with their tables. */
    private List<String> tokenCall(String token) {
        data.clearLimits(); // as if the send cooldown had passed
        AwsCallCounter.reset();
        Response r = post(tokenOnly(token));
        assertEquals(200, r.statusCode(), r.asString());
        return AwsCallCounter.callsWithTables();
    }

    private Operator.Run admin(String stdin, String... command) {
        String[] args = new String[command.length + 4];
        args[0] = command[0];
        args[1] = command[1];
        args[2] = "--org";
        args[3] = "1";
        args[4] = "--name";
        args[5] = name;
        System.arraycopy(command, 2, args, 6, command.length - 2);
        return Operator.run(dynamo, stdin, args);
    }

    private void refusedLogin(String request, String errors) {
        data.clearLimits();
        Response r = post(request);
        assertEquals(401, r.statusCode(), r.asString());
        assertEquals(errors, r.path("Errors"));
    }

    private void worksWithItsToken(String login) {
        String token = sent(login).path("TokenID");
        sent(tokenOnly(token));
    }

    /** A generate that must succeed: the send limits cleared first, as if the cooldown had passed. */
    private Response sent(String body) {
        data.clearLimits();
        Response r = post(body);
        assertEquals(200, r.statusCode(), r.asString());
        return r;
    }
}
