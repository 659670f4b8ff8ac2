package dev.otpgate.support;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import dev.otpgate.admin.Admin;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The operators' tool as an operator runs it (real clock, no console), on the test tables. */
public final class Operator {

    private Operator() {
    }

    /** What a run of the tool did: its exit status and what it printed. */
    public record Run(int status, String out, String err) {
    }

    public static Run run(DynamoDbClient dynamo, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Admin(dynamo, null, new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC()).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
