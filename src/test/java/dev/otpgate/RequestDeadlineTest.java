package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static dev.otpgate.DynamoDbOutageTest.TARGET;
import static dev.otpgate.DynamoDbOutageTest.TRANSACT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;


import dev.otpgate.support.CallLines;
import dev.otpgate.support.DynamoProxyTest;
import dev.otpgate.support.Seed;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The request deadline (otp.RequestDeadline) through the whole function: a generate whose calls before the write
 * were slow (not failing) does not start a write and a send it cannot finish. Its own profile, with a function
 * timeout of 8 s, so that slow calls reach the deadline; the other outage tests keep the real 10 s.
 */
@QuarkusTest
@TestProfile(RequestDeadlineTest.ShortFunction.class)
class RequestDeadlineTest extends DynamoProxyTest {

    public static class ShortFunction extends DynamoDbOutageTest.Outage {
        // (overrides the outage tests' 15 s)
        @Override
        public Map<String, String> getConfigOverrides() {
            // 8 s - 0.5 s margin - (3 x 1 s write + 0.12 s pauses + 2 s send + 1 s undelivered mark) = 1.38 s
            // of the request may be spent before the write starts.
            return Map.of("otp.deadline.function-timeout", "PT8S");
        }
    }


    @Test
    void aRequestWithTooLittleTimeLeftDoesNotStartTheWriteAndTheSend() {
        // the FORM login's read (BatchGetItem) and the GetItem of the user, 0.8 s each: 1.6 s > 1.38 s (the login's
        // own two TransactWriteItems, which count the attempt and then forget the source's record after the right
        // password, are not the write). The delays are the least time spent, so a busy machine only makes the
        // deadline come sooner.
        DynamoDbOutageTest.on(dynamo, "DynamoDB_20120810.BatchGetItem", aResponse().proxiedFrom(dynamoLocal).withFixedDelay(800));
        DynamoDbOutageTest.on(dynamo, "DynamoDB_20120810.GetItem", aResponse().proxiedFrom(dynamoLocal).withFixedDelay(800));
        int connections = sns.connections();
        try (CallLines lines = CallLines.capture()) {
            Response r = DynamoDbOutageTest.timed("slow login and directory read", Seed.request());
            DynamoDbOutageTest.assertUnavailable(r, lines.last());
        }
        assertTrue(dynamo.findAll(postRequestedFor(anyUrl()).withHeader(TARGET, equalTo(TRANSACT_WRITE))).stream()
                .allMatch(w -> w.getBodyAsString().contains("authfail#")), "no write was started");
        assertEquals(connections, sns.connections(), "nothing was sent");
    }
}
