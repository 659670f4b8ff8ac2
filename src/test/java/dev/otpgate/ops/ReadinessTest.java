package dev.otpgate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.DynamoProxyResource;
import dev.otpgate.support.DynamoProxyTest;
import dev.otpgate.support.Stalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * /q/health/ready through the function (the Lambda mock event server turns the GET into an API Gateway event, as
 * Route 53's health check through the API is): 200 while DynamoDB answers, 503 once it does not (a stalled read: the
 * client's 1 s timeout; a refusal), and one GetItem per {@link DynamoDbReadiness#KEPT} however often it is asked.
 */
@QuarkusTest
@TestProfile(ReadinessTest.Proxied.class)
class ReadinessTest extends DynamoProxyTest {

    public static class Proxied implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynamoProxyResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    static final String GET_ITEM = "DynamoDB_20120810.GetItem";

    @Test
    void readyWhileDynamoDbAnswersAndAReadIsReusedForAFewSeconds() throws InterruptedException {
        waitForFreshAnswer();
        dynamo.resetRequests();
        long start = System.nanoTime();
        int asked = 10;
        for (int i = 0; i < asked; i++) {
            given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                    .body("checks[0].name", is("dynamodb"));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int reads = dynamo.findAll(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(GET_ITEM))).size();
        System.out.println("[measured] " + asked + " readiness calls in " + millis + " ms made " + reads + " GetItem");
        // at most one read per KEPT (a busy machine only stretches the time, and so the bound)
        assertTrue(reads >= 1 && reads <= 1 + millis / DynamoDbReadiness.KEPT.toMillis(), reads + " reads in " + millis + " ms");
    }

    @Test
    void notReadyWithinSecondsWhenDynamoDbStalls() throws InterruptedException {
        dynamo.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(GET_ITEM))
                .willReturn(aResponse().withStatus(200).withFixedDelay(Stalls.STALL_MILLIS).withBody("{}")));
        waitForFreshAnswer();
        long start = System.nanoTime();
        Response r = given().get("/q/health/ready");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[measured] readiness with a stalled DynamoDB answered " + r.statusCode() + " in " + millis + " ms");
        r.then().statusCode(503).body("status", is("DOWN"));
        assertTrue(millis < Stalls.STALL_MILLIS, "the client gave up before the stall ended: " + millis + " ms");
    }

    @Test
    void notReadyWhenDynamoDbRefuses() throws InterruptedException {
        dynamo.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(GET_ITEM))
                .willReturn(aResponse().withStatus(500).withBody("{}")));
        waitForFreshAnswer();
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"));
        DynamoProxyResource.passThrough(dynamo, dynamoLocal);
        waitForFreshAnswer();
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** The answer before this test's stubs may still be reused: let it age. */
    private static void waitForFreshAnswer() throws InterruptedException {
        Thread.sleep(DynamoDbReadiness.KEPT.toMillis() + 100);
    }
}
