package dev.otpgate.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;

/**
 * Counts the AWS round trips the function makes, as they arrive at the far end: DynamoDB calls at the
 * recording proxy in front of DynamoDB Local, SNS/SES calls at the WireMock recorder (both in the test JVM,
 * see AwsLocalResource). Counting on the wire, not with an SDK interceptor inside the function, makes the
 * same assertions hold for the test-mode function and for the packaged one (the *IT classes), which runs in
 * a process of its own. Each entry reads "DynamoDb.GetItem otp-users", "Sns.Publish", ...
 */
public final class AwsCallCounter {

    /** Marks a call on the sources' wrong-password records (limits table, LimitKey authfail#...). */
    public static final String SOURCE_RECORDS = "authfail";

    /** The calls, each with the DynamoDB table it went to: "DynamoDb.GetItem otp-users". */
    private static final List<String> ON_TABLES = new CopyOnWriteArrayList<>();

    private AwsCallCounter() {
    }

    /** A DynamoDB call (JSON protocol: X-Amz-Target "DynamoDB_20120810.GetItem", TableName in the body). */
    static void dynamoDb(Request request) {
        String target = request.getHeader("X-Amz-Target");
        if (target == null) {
            return;
        }
        String call = "DynamoDb." + target.substring(target.indexOf('.') + 1);
        String onTable = call;
        try {
            JsonNode body = Seed.JSON.readTree(request.getBodyAsString());
            String table = body.path("TableName").asText("");
            if (body.path("RequestItems").has(AwsLocalResource.CALLERS)) { // a FORM login's read: "otp-callers authfail"
                table = AwsLocalResource.CALLERS + " " + SOURCE_RECORDS;
            }
            onTable = table.isEmpty() ? call : call + " " + table;
            if (authFailRecords(body)) {
                onTable = onTable + " " + SOURCE_RECORDS;
            }
        } catch (Exception e) {
            // not JSON: counted without a table
        }
        ON_TABLES.add(onTable);
    }

    /** An SNS or SES call (Query protocol: Action=Publish / Action=SendEmail in a form body). */
    static void snsOrSes(Request request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null && target.startsWith(AwsLocalResource.EUM_TARGET)) {
            ON_TABLES.add("EndUserMessaging." + target.substring(AwsLocalResource.EUM_TARGET.length()));
            return;
        }
        String action = Recorded.form(request).get("Action");
        if (action == null) {
            return;
        }
        String scope = String.valueOf(request.getHeader("Authorization"));
        String service = scope.contains("/ses/") || scope.contains("/email/") ? "Ses" : "Sns";
        ON_TABLES.add(service + "." + action);
    }

    /** A call on a source's wrong-password record, or a transaction of nothing else than those and callers. */
    private static boolean authFailRecords(JsonNode body) {
        JsonNode items = body.path("TransactItems");
        if (items.isArray() && !items.isEmpty()) {
            for (JsonNode item : items) {
                JsonNode delete = item.path("Delete");
                JsonNode update = item.path("Update");
                JsonNode put = item.path("Put");
                boolean ok = !put.isMissingNode() ? isSourceRecord(put.path("Item"))
                        : !delete.isMissingNode() ? isSourceRecord(delete.path("Key"))
                        : !update.isMissingNode() && (isSourceRecord(update.path("Key"))
                                || AwsLocalResource.CALLERS.equals(update.path("TableName").asText()));
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
        return isSourceRecord(body.has("Item") ? body.path("Item") : body.path("Key"));
    }

    private static boolean isSourceRecord(JsonNode key) {
        return key.path("LimitKey").path("S").asText("").startsWith("authfail#");
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
        return ON_TABLES.stream().filter(c -> !perMinute(c) && !c.endsWith(" " + table))
                .filter(c -> !(AwsLocalResource.CALLERS.equals(table) && c.endsWith(" " + SOURCE_RECORDS)))
                .map(c -> c.split(" ", 2)[0]).toList();
    }
}
