package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static dev.otpgate.AuthTest.form;
import static dev.otpgate.AuthTest.tokenOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.otpgate.support.DynamoProxyTest;
import dev.otpgate.support.Flows;
import dev.otpgate.support.Operator;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A login in flight while an operator takes something away from its caller (audit issue 22, finding 2): the
 * caller's item has been read and the password is being checked when the operator's write lands. The TokenID
 * the login hands out carries what was read (the old grants, the old password's proof), so it must be stamped
 * with the time of that read, not the time it was sealed: then the operator's {@code TokensNotBefore} ends it
 * like every earlier one. The login's last write (the source's record, after the check) is held back by the
 * proxy in front of DynamoDB Local while the operator acts.
 */
@QuarkusTest
@TestProfile(RevocationInFlightTest.SlowWrites.class)
class RevocationInFlightTest extends DynamoProxyTest {

    /**
     * The proxy, DynamoDB calls allowed the 3 s the login's last write is held back (1 s in production), and
     * codes by e-mail (the resource's SNS is a black hole).
     */
    public static class SlowWrites extends DynamoDbOutageTest.Outage {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            for (String key : List.of("sync-client.socket-timeout", "api-call-attempt-timeout", "api-call-timeout")) {
                config.put("quarkus.dynamodb." + key, "10S");
            }
            config.put("otp.deadline.function-timeout", "PT60S"); // the deadline grows with the calls' timeout
            config.put("otp.channel", "EMAIL"); // SNS is a black hole under this resource
            config.put("otp.email.sender", "OTP <otp@mail.example.com>");
            return config;
        }
    }

    static final String PASSWORD = "the-right-password";
    static final String TRANSACT_WRITE = "DynamoDB_20120810.TransactWriteItems";

    @ParameterizedTest
    @ValueSource(strings = { "caller revoke-tokens", "password change", "grants removal" })
    void aRevocationThatLandsDuringTheLoginEndsTheTokenIdItHandsOut(String action) throws Exception {
        String name = "inflight-" + UUID.randomUUID() + "@sum.com";
        data.user("1", "969", "mailonly", null, "mailonly@example.com");
        data.caller("1", name, PASSWORD, "1/969", Set.of("1"));
        RequestPatternBuilder afterTheCheck = postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TRANSACT_WRITE))
                .withRequestBody(containing("authfail#"));
        dynamo.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(TRANSACT_WRITE))
                .withRequestBody(containing("authfail#"))
                .willReturn(aResponse().proxiedFrom(dynamoLocal).withFixedDelay(3_000)));

        CompletableFuture<Response> login = CompletableFuture.supplyAsync(() -> Flows.post(form(name, PASSWORD, "969", "mailonly")));
        // The caller's item has been read and the password checked once the login's last write has arrived.
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dynamo.findAll(afterTheCheck).isEmpty() && !login.isDone() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(!dynamo.findAll(afterTheCheck).isEmpty(), "the login reached its write after the check");
        Operator.Run run = switch (action) {
            case "caller revoke-tokens" -> admin("", "caller", "revoke-tokens", name);
            case "password change" -> admin("a-brand-new-password\n", "caller", "put", name, "--password-stdin");
            default -> admin("", "caller", "put", name, "--generate-for", "none");
        };
        assertEquals(0, run.status(), run.err());
        Response loggedIn = login.get();
        assertEquals(200, loggedIn.statusCode(), loggedIn.asString());
        String token = loggedIn.path("TokenID");

        // A minute later, as far as the function can tell (no cached view of the caller left): refused.
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61)), Clock.class);
        data.clearLimits();
        Response later = Flows.post(tokenOnly(token));
        assertEquals(401, later.statusCode(), action + " during the login: " + later.asString());
        assertEquals("Unauthorized: invalid TokenID", later.path("Errors"));
    }

    private Operator.Run admin(String stdin, String noun, String verb, String name, String... options) {
        String[] args = new String[6 + options.length];
        args[0] = noun;
        args[1] = verb;
        args[2] = "--org";
        args[3] = "1";
        args[4] = "--name";
        args[5] = name;
        System.arraycopy(options, 0, args, 6, options.length);
        return Operator.run(data.dynamo(), stdin, args);
    }
}
