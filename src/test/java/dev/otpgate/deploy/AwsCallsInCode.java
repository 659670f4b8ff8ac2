package dev.otpgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The AWS calls the deployed code makes, read from its sources: every method called on a variable of an
 * AWS SDK client type, as an IAM action ({@code dynamo.getItem(...)} is {@code dynamodb:GetItem}), and for
 * DynamoDB the tables the same file names ({@code config.tables().users()}). The local run's package is
 * left out: it is not deployed. A grep, not a compiler: it relies on clients being held in typed
 * variables, which every adapter here does.
 */
final class AwsCallsInCode {

    /** An IAM action, and for DynamoDB the table accessors of OtpConfig.Tables it acts on. */
    record Call(String action, Set<String> tables) {
    }

    private static final Map<String, String> CLIENTS = Map.of(
            "DynamoDbClient", "dynamodb", "SnsClient", "sns", "SesClient", "ses", "SsmClient", "ssm");
    private static final Set<String> NOT_CALLS = Set.of("close", "serviceName", "serviceClientConfiguration");
    private static final Pattern TABLE = Pattern.compile("tables\\(\\)\\s*\\.\\s*(\\w+)\\s*\\(\\)");

    private AwsCallsInCode() {
    }

    static Set<Call> scan(Path sources) {
        Set<Call> calls = new java.util.LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (file.toString().replace('\\', '/').contains("/dev/otpgate/local/")) {
                    continue;
                }
                calls.addAll(scanFile(file, Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    private static Set<Call> scanFile(Path file, String text) {
        Set<Call> calls = new java.util.LinkedHashSet<>();
        Set<String> tables = new TreeSet<>();
        Matcher t = TABLE.matcher(text);
        while (t.find()) {
            tables.add(t.group(1));
        }
        CLIENTS.forEach((type, service) -> {
            Matcher declared = Pattern.compile("\\b" + type + "\\s+(\\w+)\\s*[;=,)]").matcher(text);
            while (declared.find()) {
                Matcher called = Pattern.compile("\\b" + declared.group(1) + "\\s*\\.\\s*(\\w+)\\s*\\(").matcher(text);
                while (called.find()) {
                    String op = called.group(1);
                    if (NOT_CALLS.contains(op)) {
                        continue;
                    }
                    if (op.startsWith("transact") || op.startsWith("batch")) {
                        throw new AssertionError(file + ": " + op + " needs the IAM actions of each item it carries;"
                                + " map it in AwsCallsInCode by hand");
                    }
                    if (service.equals("dynamodb") && tables.isEmpty()) {
                        throw new AssertionError(file + " calls DynamoDB but names no table through config.tables()");
                    }
                    String action = service + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1);
                    calls.add(new Call(action, service.equals("dynamodb") ? Set.copyOf(tables) : Set.of()));
                }
            }
        });
        return calls;
    }
}
