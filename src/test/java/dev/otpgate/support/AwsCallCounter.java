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
 * a process of its own. Each entry reads "DynamoDb.GetItem", "Sns.Publish", ...
 */
public final class AwsCallCounter {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    /** The same calls, each with the DynamoDB table it went to: "DynamoDb.GetItem otp-users". */
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
        String table = "";
        try {
            JsonNode body = Seed.JSON.readTree(request.getBodyAsString());
            table = body.path("TableName").asText("");
        } catch (Exception e) {
            // not JSON: counted without a table
        }
        add(call, table);
    }

    /** An SNS or SES call (Query protocol: Action=Publish / Action=SendEmail in a form body). */
    static void snsOrSes(Request request) {
        String action = Recorded.form(request).get("Action");
        if (action == null) {
            return;
        }
        String scope = String.valueOf(request.getHeader("Authorization"));
        String service = scope.contains("/ses/") || scope.contains("/email/") ? "Ses" : "Sns";
        add(service + "." + action, "");
    }

    private static void add(String call, String table) {
        CALLS.add(call);
        ON_TABLES.add(table.isEmpty() ? call : call + " " + table);
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
