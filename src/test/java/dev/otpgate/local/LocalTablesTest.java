package dev.otpgate.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.support.AwsLocalResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 16, finding 8: on a busy machine DynamoDB Local's first CreateTable took more than the request path's
 * 1 s DynamoDB timeout, and the local run did not start. The set-up must not depend on request-path timeouts.
 */
class LocalTablesTest {

    /** Longer than the request path's DynamoDB timeout (1 s), as DynamoDB Local's first CreateTable was. */
    static final int SLOW_CREATE_MILLIS = 1_500;

    private DynamoDbLocalServer dynamo;
    private WireMockServer slow;

    @BeforeEach
    void slowDynamoDbLocal() {
        dynamo = DynamoDbLocalServer.start(AwsLocalResource.freePort());
        slow = new WireMockServer(options().dynamicPort());
        slow.start();
        slow.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(dynamo.endpoint())));
        slow.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.CreateTable"))
                .willReturn(aResponse().proxiedFrom(dynamo.endpoint()).withFixedDelay(SLOW_CREATE_MILLIS)));
    }

    @AfterEach
    void stop() {
        slow.stop();
        dynamo.stop();
    }

    @Test
    void theLocalRunIsSetUpThroughADynamoDbLocalSlowerThanTheRequestPathsTimeout() {
        List<TableSpec> tables = TableSpec.all(AwsLocalResource.TABLES);
        LocalRun.setUp(slow.baseUrl(), AwsLocalResource.TABLES, "1", new PasswordHasher(), 0);

        try (DynamoDbClient check = SetUpClient.open(dynamo.endpoint())) {
            assertEquals(new TreeSet<>(tables.stream().map(TableSpec::name).toList()),
                    new TreeSet<>(check.listTables().tableNames()));
            assertTrue(check.scan(r -> r.tableName(AwsLocalResource.CALLERS)).count() > 0, "the seed's caller is there");
        }
        assertEquals(tables.size(), slow.findAll(postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.CreateTable"))).size(),
                "every CreateTable went through the slow proxy: " + SLOW_CREATE_MILLIS + " ms each");
    }
}
