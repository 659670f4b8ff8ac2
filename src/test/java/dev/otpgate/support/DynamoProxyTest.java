package dev.otpgate.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A test under {@link DynamoProxyResource}: the proxy in front of DynamoDB Local and the SNS black hole. */
public abstract class DynamoProxyTest extends FunctionTest {

    @DynamoProxyResource.DynamoProxy
    protected WireMockServer dynamo;

    @DynamoProxyResource.DynamoProxy
    protected String dynamoLocal;

    @DynamoProxyResource.SnsBlackHole
    protected Stalls.BlackHole sns;

    @BeforeEach
    @AfterEach
    void allThroughToDynamoDbLocal() {
        DynamoProxyResource.passThrough(dynamo, dynamoLocal);
    }
}
