package dev.otpgate.dynamo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.otpgate.otp.HomeRegion;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The function's region is the region of its tables: the DynamoDB client's, which Lambda's AWS_REGION sets (or
 * quarkus.dynamodb.aws.region). No configuration key of its own: it cannot disagree with where the data is.
 */
@ApplicationScoped
public class DynamoRegion {

    @Produces
    @Singleton
    HomeRegion home(DynamoDbClient dynamo) {
        return new HomeRegion(dynamo.serviceClientConfiguration().region().id());
    }
}
