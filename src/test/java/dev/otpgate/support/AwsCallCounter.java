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

    /** The calls, each with the DynamoDB table it went to: "DynamoDb.GetItem otp-users". */
    private static final List<String> ON_TABLES = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        ON_TABLES.add(context.request().getValueForField("TableName", String.class).map(t -> call + " " + t)
                .orElse(call));
    }

    /**
     * An organisation's settings are read once a minute per instance (otp/Policies), not per request, so
     * whether a given request makes that read depends on the minute: the per-request lists leave it out,
     * and {@link #orgReads()} counts it for the tests of that cache.
     */
    private static boolean perMinute(String callOnTable) {
        return callOnTable.endsWith(" " + AwsLocalResource.ORGS);
    }

    public static long orgReads() {
        return ON_TABLES.stream().filter(AwsCallCounter::perMinute).count();
    }

    public static void reset() {
        ON_TABLES.clear();
    }

    public static List<String> calls() {
        return ON_TABLES.stream().filter(c -> !perMinute(c)).map(c -> c.split(" ", 2)[0]).toList();
    }

    public static List<String> callsWithTables() {
        return ON_TABLES.stream().filter(c -> !perMinute(c)).toList();
    }

    /** The calls that did not go to the table: e.g. all but the caller's authentication. */
    public static List<String> callsApartFrom(String table) {
        return ON_TABLES.stream().filter(c -> !perMinute(c) && !c.endsWith(" " + table)).map(c -> c.split(" ", 2)[0])
                .toList();
    }
}
