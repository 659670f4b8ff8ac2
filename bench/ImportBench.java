import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.local.LocalTables;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code user import} of N rows (default 30,000) against DynamoDB Local (the local run's
 * DynamoDbLocalServer, in this JVM) next to its floor: the same items written back to back with
 * BatchWriteItem, 25 a call, from this JVM. The import runs as an operator runs it, a JVM of its own
 * ({@code java -cp ... dev.otpgate.admin.Admin}), so its time includes the tool's start, which is
 * also timed alone ({@code --help}). How to run it and the figures: bench/BENCHMARKS.md.
 */
public class ImportBench {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        List<String> threadCounts = args.length > 1 ? List.of(args[1].split(",")) : List.of("8", "4");
        String classpath = System.getProperty("java.class.path");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DynamoDbLocalServer server = DynamoDbLocalServer.start(port);
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            LocalTables.create(dynamo, TableSpec.all(new Tables()));
            Path csv = Files.createTempFile("users-", ".csv");
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            StringBuilder file = new StringBuilder("DomainId,UserID,UserName,Mobile,Email,Prefer,Locale\n");
            for (int i = 0; i < rows; i++) {
                String mobile = String.format("+1650253%04d", i % 10_000);
                String email = "user" + i + "@example.com";
                file.append("1,").append(i).append(",user").append(i).append(',').append(mobile).append(',')
                        .append(email).append(",SMS,en-US\n");
                items.add(item("floor#1", Integer.toString(i), "user" + i, mobile, email));
            }
            Files.writeString(csv, file);

            // Warm DynamoDB Local (in this JVM) and this JVM's client, on keys of their own.
            // The import also reads (BatchGetItem): warm that path of the server too, or the first import pays its JIT.
            List<Map<String, AttributeValue>> warm = items.subList(0, Math.min(rows, 5_000)).stream()
                    .map(i -> rekey(i, "warm#1")).toList();
            floor(dynamo, warm);
            for (int i = 0; i < warm.size(); i += 100) {
                List<Map<String, AttributeValue>> keys = warm.subList(i, Math.min(warm.size(), i + 100)).stream()
                        .map(it -> Map.of("DomainId", it.get("DomainId"), "UserID", it.get("UserID"))).toList();
                dynamo.batchGetItem(b -> b.requestItems(Map.of("otp-users",
                        KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
            }

            long t0 = System.nanoTime();
            floor(dynamo, items);
            double floor = seconds(t0);
            System.out.printf("floor: %,d items, BatchWriteItem 25 a call back to back: %.2f s%n", rows, floor);

            String endpoint = server.endpoint();
            double help = best(() -> tool(classpath, "--help"));
            // the fixed cost of any command that reaches DynamoDB: JVM, picocli, the SDK's client, one GetItem
            double start = best(() -> tool(classpath, "org", "show", "--org", "nobody", "--endpoint", endpoint));
            System.out.printf("the tool's start, best of 3: --help %.2f s; org show (JVM + SDK + one GetItem) %.2f s%n",
                    help, start);

            for (String threads : threadCounts) {
                String org = "bench-" + threads;
                long t1 = System.nanoTime();
                tool(classpath, "user", "import", "--endpoint", endpoint, "--org", org, "--csv", csv.toString(),
                        "--threads", threads);
                double first = seconds(t1);
                t1 = System.nanoTime();
                tool(classpath, "user", "import", "--endpoint", endpoint, "--org", org, "--csv", csv.toString(),
                        "--threads", threads);
                double again = seconds(t1);
                System.out.printf("--threads %s: first run (all written) %.2f s = %.2f x (floor + start, %.2f s); "
                        + "second run (all unchanged) %.2f s = %.2f x%n", threads, first, first / (floor + start),
                        floor + start, again, again / (floor + start));
            }
            Files.delete(csv);
        } finally {
            server.stop();
        }
    }

    /** The tool as an operator runs it: a JVM of its own, its output shown here. */
    static void tool(String classpath, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.otpgate.admin.Admin"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException("the tool ended with " + status);
        }
    }

    static void floor(DynamoDbClient dynamo, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> writes = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(it -> WriteRequest.builder().putRequest(PutRequest.builder().item(it).build()).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of("otp-users", writes);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(request));
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            }
        }
    }

    static Map<String, AttributeValue> item(String domain, String user, String name, String mobile, String email) {
        return Map.of("DomainId", AttributeValue.fromS(domain), "UserID", AttributeValue.fromS(user),
                "UserName", AttributeValue.fromS(name), "Mobile", AttributeValue.fromS(mobile),
                "Email", AttributeValue.fromS(email), "Prefer", AttributeValue.fromS("SMS"),
                "Locale", AttributeValue.fromS("en-US"));
    }

    static Map<String, AttributeValue> rekey(Map<String, AttributeValue> item, String domain) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        copy.put("DomainId", AttributeValue.fromS(domain));
        return copy;
    }

    interface Run {
        void run() throws Exception;
    }

    /** The shortest of three runs, in seconds. */
    static double best(Run run) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            run.run();
            best = Math.min(best, seconds(t));
        }
        return best;
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The default table names, as the tool's defaults. */
    static final class Tables implements dev.otpgate.otp.OtpConfig.Tables {
        public String users() { return "otp-users"; }
        public String transactions() { return "otp-transactions"; }
        public String limits() { return "otp-limits"; }
        public String callers() { return "otp-callers"; }
        public String orgs() { return "otp-orgs"; }
    }
}
