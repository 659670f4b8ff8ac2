package dev.otpgate.support;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * What every test through the function starts from: SNS and SES answering, the seed's user in the
 * directory, no send counters or cooldowns left from another test, and the AWS call count at zero.
 * Subclasses are {@code @QuarkusTest}s with {@code @QuarkusTestResource(AwsLocalResource.class)}.
 */
public abstract class FunctionTest {

    /** The WireMock server standing in for SNS and SES, with what the SDK sent it. */
    @AwsLocalResource.AwsRecorder
    protected WireMockServer aws;

    @Inject
    protected TestData data;

    @BeforeEach
    void startFresh() {
        AwsLocalResource.stubProvidersUp(aws);
        data.seedUser();
        data.clearLimits();
        AwsCallCounter.reset();
    }
}
