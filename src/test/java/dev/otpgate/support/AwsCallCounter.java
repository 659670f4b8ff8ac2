package dev.otpgate.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS round trips the function makes, registered on every client in the test profile
 * (quarkus.*.interceptors). Each entry reads "DynamoDb.GetItem", "Sns.Publish", ...
 */
public class AwsCallCounter implements ExecutionInterceptor {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        CALLS.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    public static void reset() {
        CALLS.clear();
    }

    public static List<String> calls() {
        return List.copyOf(CALLS);
    }
}
