package dev.otpgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The AWS calls the deployed code makes, read from its sources, as IAM actions on tables. A grep, not a
 * compiler; it knows the shapes this code base uses and fails loudly on one it cannot place:
 * <ul>
 * <li>a method called on a variable of an SDK client type is an action ({@code dynamo.getItem(r -> r.tableName(t)...)}
 * is {@code dynamodb:GetItem} on table {@code t});</li>
 * <li>{@code transactWriteItems} is no IAM action: each item is checked as its own kind
 * ({@code TransactWriteItem.builder().update(u -> u.tableName(t)...)} is {@code dynamodb:UpdateItem} on {@code t},
 * {@code conditionCheck} is {@code dynamodb:ConditionCheckItem});</li>
 * <li>a table variable is an accessor of {@code OtpConfig.Tables}: assigned from {@code config.tables().x()} in
 * its file, or handed to the constructor of its class as {@code new C(config.tables().x())} elsewhere.</li>
 * </ul>
 * Classes the package leaves out ({@code quarkus.package.jar.user-configured-ignored-entries}: the local run,
 * the operators' tool) are left out here too: their calls are not the function's.
 */
final class AwsCallsInCode {

    /** An IAM action and, for DynamoDB, the accessor of OtpConfig.Tables naming its table (else null). */
    record Call(String action, String table) {
    }

    private static final Map<String, String> CLIENTS = Map.of(
            "DynamoDbClient", "dynamodb", "SnsClient", "sns", "SesClient", "ses", "SsmClient", "ssm",
            "PinpointSmsVoiceV2Client", "sms-voice");
    private static final Set<String> NOT_CALLS = Set.of("close", "serviceName", "serviceClientConfiguration");
    private static final Map<String, String> ITEM_ACTIONS = Map.of(
            "put", "PutItem", "update", "UpdateItem", "delete", "DeleteItem", "conditionCheck", "ConditionCheckItem");
    private static final Pattern ASSIGNED = Pattern.compile("(?:this\\.)?(\\w+)\\s*=\\s*\\w+\\.tables\\(\\)\\s*\\.\\s*(\\w+)\\s*\\(\\)");
    // new LimitItems(config.tables().limits()), new FraudCounters(dynamo, config.tables().limits()): the class's table
    private static final Pattern CONSTRUCTED = Pattern.compile("new\\s+(\\w+)\\s*\\((?:\\s*\\w+\\s*,)?\\s*\\w+\\.tables\\(\\)\\s*\\.\\s*(\\w+)\\s*\\(\\)\\s*\\)");
    private static final Pattern BATCH_TABLE = Pattern.compile("[(,]\\s*(\\w+)\\s*,\\s*KeysAndAttributes");
    private static final Pattern TABLE_NAME = Pattern.compile("\\.tableName\\(\\s*(\\w+)\\s*\\)");
    private static final Pattern TRANSACT_ITEM = Pattern.compile(
            "TransactWriteItem\\.builder\\(\\)\\s*\\.\\s*(put|update|delete|conditionCheck)\\s*\\(\\s*\\w+\\s*->\\s*\\w+\\.tableName\\(\\s*(\\w+)\\s*\\)");

    private AwsCallsInCode() {
    }

    static Set<Call> scan(Path sources) {
        Set<String> notPackaged = Set.of(ConfigKeys.applicationProperties()
                .getOrDefault("quarkus.package.jar.user-configured-ignored-entries", "").split("\\s*,\\s*"));
        Map<Path, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String classFile = sources.relativize(f).toString().replace('\\', '/').replace(".java", ".class");
                if (!notPackaged.contains(classFile)) {
                    files.put(f, Files.readString(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> constructedWith = new HashMap<>(); // class -> table accessor
        files.values().forEach(text -> {
            Matcher m = CONSTRUCTED.matcher(text);
            while (m.find()) {
                constructedWith.put(m.group(1), m.group(2));
            }
        });

        Set<Call> calls = new LinkedHashSet<>();
        boolean transactions = false;
        for (Map.Entry<Path, String> file : files.entrySet()) {
            String text = file.getValue();
            String className = file.getKey().getFileName().toString().replace(".java", "");
            Map<String, String> tableOf = new HashMap<>();
            Matcher a = ASSIGNED.matcher(text);
            while (a.find()) {
                tableOf.put(a.group(1), a.group(2));
            }
            for (Map.Entry<String, String> client : CLIENTS.entrySet()) {
                Matcher declared = Pattern.compile("\\b" + client.getKey() + "\\s+(\\w+)\\s*[;=,)]").matcher(text);
                while (declared.find()) {
                    Matcher called = Pattern.compile("\\b" + declared.group(1) + "\\s*\\.\\s*(\\w+)\\s*\\(").matcher(text);
                    while (called.find()) {
                        String op = called.group(1);
                        if (NOT_CALLS.contains(op)) {
                            continue;
                        }
                        if (op.equals("transactWriteItems")) {
                            transactions = true;
                            continue;
                        }
                        if (op.equals("batchGetItem")) { // one IAM action on each table the file's batches ask:
                            Matcher t = BATCH_TABLE.matcher(text); // Map.of(table, KeysAndAttributes..., other, KeysAndAttributes...)
                            boolean named = false;
                            while (t.find()) {
                                named = true;
                                calls.add(new Call("dynamodb:BatchGetItem",
                                        table(t.group(1), tableOf, constructedWith.get(className), file.getKey())));
                            }
                            if (!named) {
                                throw new AssertionError(file.getKey() + ": batchGetItem names no table (Map.of(table, KeysAndAttributes...))");
                            }
                            continue;
                        }
                        if (op.startsWith("transact") || op.startsWith("batch")) {
                            throw new AssertionError(file.getKey() + ": " + op + " is new here; teach AwsCallsInCode its IAM actions");
                        }
                        String action = client.getValue() + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1);
                        String table = null;
                        if (client.getValue().equals("dynamodb")) {
                            Matcher t = TABLE_NAME.matcher(text);
                            if (!t.find(called.end())) {
                                throw new AssertionError(file.getKey() + ": " + op + " names no table after it");
                            }
                            table = table(t.group(1), tableOf, constructedWith.get(className), file.getKey());
                        }
                        calls.add(new Call(action, table));
                    }
                }
            }
        }
        if (transactions) {
            for (Map.Entry<Path, String> file : files.entrySet()) {
                String className = file.getKey().getFileName().toString().replace(".java", "");
                Map<String, String> tableOf = new HashMap<>();
                Matcher a = ASSIGNED.matcher(file.getValue());
                while (a.find()) {
                    tableOf.put(a.group(1), a.group(2));
                }
                Matcher item = TRANSACT_ITEM.matcher(file.getValue());
                while (item.find()) {
                    calls.add(new Call("dynamodb:" + ITEM_ACTIONS.get(item.group(1)),
                            table(item.group(2), tableOf, constructedWith.get(className), file.getKey())));
                }
            }
        }
        return calls;
    }

    private static String table(String variable, Map<String, String> assigned, String constructorTable, Path file) {
        if (assigned.containsKey(variable)) {
            return assigned.get(variable);
        }
        if (constructorTable != null) {
            return constructorTable;
        }
        throw new AssertionError(file + ": cannot tell which table `" + variable + "` is");
    }
}
