package dev.otpgate.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

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
        String onTable = context.request().getValueForField("TableName", String.class).map(t -> call + " " + t)
                .orElse(call);
        ON_TABLES.add(authFailRecords(context.request()) ? onTable + " " + SOURCE_RECORDS : onTable);
    }

    /** Marks a call on the sources' wrong-password records (limits table, LimitKey authfail#...). */
    public static final String SOURCE_RECORDS = "authfail";

    /** A call on a source's wrong-password record, or a transaction of nothing else than those and callers. */
    private static boolean authFailRecords(software.amazon.awssdk.core.SdkRequest request) {
        if (request instanceof TransactWriteItemsRequest t) {
            return t.transactItems().stream().allMatch(i -> i.delete() != null
                    ? isSourceRecord(i.delete().key()) : i.update() != null
                            && (isSourceRecord(i.update().key()) || AwsLocalResource.CALLERS.equals(i.update().tableName())));
        }
        @SuppressWarnings("unchecked")
        java.util.Optional<java.util.Map<String, AttributeValue>> key = request.getValueForField("Key", java.util.Map.class)
                .map(k -> (java.util.Map<String, AttributeValue>) k);
        return key.map(AwsCallCounter::isSourceRecord).orElse(false);
    }

    private static boolean isSourceRecord(java.util.Map<String, AttributeValue> key) {
        AttributeValue k = key.get("LimitKey");
        return k != null && k.s() != null && k.s().startsWith("authfail#");
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

    /**
     * The calls that did not go to the table: e.g. all but the caller's authentication. Apart from the
     * callers table, that also leaves out the calls on the sources' wrong-password records (FORM's).
     */
    public static List<String> callsApartFrom(String table) {
        return ON_TABLES.stream().filter(c -> !perMinute(c) && !c.endsWith(" " + table))
                .filter(c -> !(AwsLocalResource.CALLERS.equals(table) && c.endsWith(" " + SOURCE_RECORDS)))
                .map(c -> c.split(" ", 2)[0]).toList();
    }
}
