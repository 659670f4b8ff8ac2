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
    /** The same calls, each with the DynamoDB table it went to: "DynamoDb.GetItem otp-users". */
    private static final List<String> ON_TABLES = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.add(call);
        ON_TABLES.add(context.request().getValueForField("TableName", String.class).map(t -> call + " " + t)
                .orElse(call));
    }

    public static void reset() {
        CALLS.clear();
        ON_TABLES.clear();
    }

    public static List<String> calls() {
        return List.copyOf(CALLS);
    }

    public static List<String> callsWithTables() {
        return List.copyOf(ON_TABLES);
    }

    /** The calls that did not go to the table: e.g. all but the caller's authentication. */
    public static List<String> callsApartFrom(String table) {
        return ON_TABLES.stream().filter(c -> !c.endsWith(" " + table)).map(c -> c.split(" ", 2)[0]).toList();
    }
}
