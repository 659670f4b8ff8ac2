package dev.otpgate.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * {@link AwsLocalResource}, with a WireMock proxy in front of DynamoDB Local (every request passes through to
 * it unless a test stubs a higher-priority answer: a delay, a throttling error) and SNS pointed at a socket
 * that accepts connections and never answers. For the outage tests: DynamoDB that stalls or throttles, SNS
 * that hangs.
 */
public class DynamoProxyResource extends AwsLocalResource {

    /** Marks a test field that receives the WireMock proxy in front of DynamoDB Local. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface DynamoProxy {
    }

    /** Marks a test field that receives the black hole SNS is pointed at. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface SnsBlackHole {
    }

    /** Priority of the pass-through stub: any stub a test adds (default priority 5, or 1) wins over it. */
    static final int PASS_THROUGH = 10;

    private WireMockServer proxy;
    private Stalls.BlackHole blackHole;
    private String dynamoLocal;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        dynamoLocal = config.get("quarkus.dynamodb.endpoint-override");
        proxy = new WireMockServer(options().dynamicPort());
        proxy.start();
        passThrough(proxy, dynamoLocal);
        blackHole = new Stalls.BlackHole();
        config.put("quarkus.dynamodb.endpoint-override", proxy.baseUrl());
        config.put("quarkus.sns.endpoint-override", blackHole.endpoint());
        return config;
    }

    /** Forgets the tests' stubs and recorded requests: every request goes to DynamoDB Local again. */
    public static void passThrough(WireMockServer proxy, String dynamoLocal) {
        proxy.resetAll();
        proxy.stubFor(any(anyUrl()).atPriority(PASS_THROUGH).willReturn(aResponse().proxiedFrom(dynamoLocal)));
    }

    @Override
    public void inject(TestInjector injector) {
        super.inject(injector);
        injector.injectIntoFields(proxy, new TestInjector.AnnotatedAndMatchesType(DynamoProxy.class, WireMockServer.class));
        injector.injectIntoFields(blackHole, new TestInjector.AnnotatedAndMatchesType(SnsBlackHole.class, Stalls.BlackHole.class));
        injector.injectIntoFields(dynamoLocal, new TestInjector.AnnotatedAndMatchesType(DynamoProxy.class, String.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.stop();
        }
        if (blackHole != null) {
            blackHole.close();
        }
        super.stop();
    }
}
