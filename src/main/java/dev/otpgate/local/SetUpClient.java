package dev.otpgate.local;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client that creates and seeds DynamoDB Local's tables (the local run, the tests). Not the request
 * path's client: its 1 s timeouts are Lambda's idea of a stall, and DynamoDB Local's first CreateTable on a busy
 * machine takes longer (issue 16, finding 8). Set-up waits for as long as a person would, and retries.
 */
public final class SetUpClient {

    static final Duration ATTEMPT = Duration.ofSeconds(60);
    static final Duration CALL = Duration.ofMinutes(3);

    private SetUpClient() {
    }

    /** DynamoDB Local's tables are shared by every key and region (-sharedDb): these are no credentials. */
    public static DynamoDbClient open(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(ATTEMPT).build())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(ATTEMPT).apiCallTimeout(CALL))
                .build();
    }
}
