package dev.otpgate.support;

import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * What every test through the function starts from: SNS and SES answering, the seed's user in the
 * directory, no send counters or cooldowns left from another test, and the AWS call count at zero.
 * Subclasses are {@code @QuarkusTest}s with {@code @QuarkusTestResource(AwsLocalResource.class)}; a
 * {@code @QuarkusIntegrationTest} subclass of one ({@code class GenerateOtpIT extends GenerateOtpTest}) runs the
 * same bodies against the packaged function. Nothing here reaches into the function's beans.
 */
public abstract class FunctionTest {

    /** The WireMock server standing in for SNS and SES, with what the SDK sent it. */
    @AwsLocalResource.AwsRecorder
    protected WireMockServer aws;

    /** The test JVM's own view of DynamoDB Local: set per test, once AwsLocalResource has started. */
    protected TestData data;

    /** True when the function under test is the built package (a {@code @QuarkusIntegrationTest} subclass). */
    protected boolean packaged() {
        return getClass().isAnnotationPresent(QuarkusIntegrationTest.class);
    }

    @BeforeEach
    void startFresh() {
        data = TestData.local();
        if (packaged()) { // the packaged function answers through the mock event server, not an HTTP port of its own
            io.restassured.RestAssured.baseURI = "http://localhost";
            io.restassured.RestAssured.port = AwsLocalResource.eventServerPort();
            io.restassured.RestAssured.basePath = "";
        }
        AwsLocalResource.stubProvidersUp(aws);
        data.seedUser();
        data.clearLimits();
        AwsCallCounter.reset();
    }
}
