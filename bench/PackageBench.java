import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.otpgate.admin.CallerWrites;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.auth.Tokens;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.local.LocalTables;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.support.AwsLocalResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The packaged function run the way Lambda runs it, timed (bench/BENCHMARKS.md, "The package through the Lambda
 * Runtime API"). This JVM plays Lambda's Runtime API (a small HTTP server), DynamoDB Local and SNS/SES (a WireMock
 * recorder). The function is a process of its own, pinned to one core when taskset exists:
 *   jvm    - target/function.zip unzipped, java with the java21 runtime's flags (C1 only, SerialGC, heap as for
 *            1024 MB) running dev.otpgate.support.lambda.LambdaRuntimeLoop around QuarkusStreamHandler;
 *   snapstart - the JVM package, with the CRaC hooks that Lambda's java runtime calls around a SnapStart
 *            snapshot run at the end of init (SnapStartPriming), so the first call is the first after a restore
 *            (minus the restore itself, which only Lambda can measure);
 *   native - target/*-runner (the `bootstrap` of a native function.zip), where one was built.
 * Each call is ADM_GenerateOTP for a fresh user by a TokenID caller (GetItem, TransactWriteItems, Publish). Reported:
 * init (process start to the first GET .../next), the first call, warm p50/p90/p99, the function's peak RSS, and
 * the floor: the same three AWS calls (a TransactWriteItems of the function's five items) made back to back from
 * this JVM, in the same run. The emulators are warmed first by a throw-away process of the same function (100
 * generates; -Dbench.warm-emulators=false: not); -Dbench.zip=... runs another package than target/function.zip.
 *
 * Usage (after ./mvnw package and the test class path, see BENCHMARKS.md): java -cp ... bench/PackageBench.java
 *   [jvm|native] [warm calls, default 500] [extra JVM option ...]
 */
public class PackageBench {

    static final String HMAC_KEY = "YmVuY2ggaG1hYyBrZXksIG5vdCBhIHNlY3JldCAtIDAx";
    static final String TOKEN_KEY = "YmVuY2ggdG9rZW4ga2V5LCBub3QgYSBzZWNyZXQgLSAw";
    static final ObjectMapper JSON = new ObjectMapper();

    record Invocation(String id, byte[] event, CompletableFuture<byte[]> answer, long[] handedAt) {
    }

    static final BlockingQueue<Invocation> QUEUE = new LinkedBlockingQueue<>();
    static final Map<String, Invocation> INFLIGHT = new ConcurrentHashMap<>();
    static volatile long firstNextAt;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0); // DynamoDB Local's and the servers' threads would keep this JVM alive after a failure
        }
    }

    static void run(String[] args) throws Exception {
        String flavour = args.length > 0 ? args[0] : "jvm";
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<String> extra = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Path target = Path.of("target").toAbsolutePath();

        // DynamoDB Local, tables, the caller, and one fresh user per call (the send cooldown is per user and phone)
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.start(freePort());
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(dynamo.endpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
        OtpConfig.Tables tables = tables();
        LocalTables.create(client, TableSpec.all(tables));
        new CallerWrites(client, tables.callers(), tables.users())
                .putCaller("1", "google@sum.com", new PasswordHasher().hash("XXXX@123"), null, null, Set.of("1"));
        int users = warm + 1 + 100;
        for (int i = 0; i < users; i++) {
            String id = Integer.toString(100_000 + i);
            String mobile = String.format("+1415555%04d", i % 10_000);
            client.putItem(r -> r.tableName(tables.users()).item(Map.of("DomainId", s("1"), "UserID", s(id),
                    "UserName", s("bench" + id), "Mobile", s(mobile))));
        }
        String token = new Tokens(TOKEN_KEY).issue(new Caller("1", "google@sum.com", AuthMethod.PASSWORD, null, null,
                Set.of("1")), Instant.now(), Instant.now().plusSeconds(3600));
        WireMockServer sns = new WireMockServer(options().dynamicPort());
        sns.start();
        AwsLocalResource.stubProvidersUp(sns);

        HttpServer api = runtimeApi();
        String runtimeApi = "localhost:" + api.getAddress().getPort();

        List<String> command = new ArrayList<>();
        if (Files.exists(Path.of("/usr/bin/taskset"))) {
            command.addAll(List.of("taskset", "-c", System.getProperty("bench.core", "1")));
        }
        boolean snapStart = flavour.equals("snapstart"); // the JVM package with SnapStart's hooks run in init
        if (flavour.equals("jvm") || snapStart) {
            Path task = target.resolve("bench-task");
            unzip(Path.of(System.getProperty("bench.zip", target.resolve("function.zip").toString())), task);
            Path loop = target.resolve("bench-loop/dev/otpgate/support/lambda");
            Files.createDirectories(loop);
            try (Stream<Path> classes = Files.list(target.resolve("test-classes/dev/otpgate/support/lambda"))) {
                for (Path c : classes.filter(p -> p.getFileName().toString().startsWith("LambdaRuntimeLoop")).toList()) {
                    Files.copy(c, loop.resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createDirectories(loop.resolve("crac")); // the CRaC stand-in for the snapstart mode
            try (Stream<Path> classes = Files.list(target.resolve("test-classes/dev/otpgate/support/lambda/crac"))) {
                for (Path c : classes.toList()) {
                    Files.copy(c, loop.resolve("crac").resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // the java21 managed runtime's JVM: C1 only, SerialGC, shared archive, heap ~85 % of 1024 MB
            command.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xshare:auto", "-XX:MaxHeapSize=870m"));
            command.addAll(extra);
            command.addAll(config(dynamo.endpoint(), sns.baseUrl()));
            if (snapStart) {
                command.add("-Dorg.crac.Core.Compat=dev.otpgate.support.lambda.crac");
            }
            command.addAll(List.of("-cp", task + ":" + task.resolve("lib") + "/*:" + target.resolve("bench-loop"),
                    "dev.otpgate.support.lambda.LambdaRuntimeLoop",
                    "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"));
        } else {
            Path bootstrap;
            try (Stream<Path> files = Files.list(target)) {
                bootstrap = files.filter(p -> p.getFileName().toString().endsWith("-runner")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no native executable: ./mvnw package -Dnative"));
            }
            command.add(bootstrap.toString());
            command.addAll(config(dynamo.endpoint(), sns.baseUrl()));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(target.resolve("bench-function.log").toFile());
        if (snapStart) {
            pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        }
        pb.environment().putAll(Map.of("AWS_LAMBDA_RUNTIME_API", runtimeApi, "AWS_LAMBDA_FUNCTION_NAME", "otp-gate-bench",
                "AWS_LAMBDA_FUNCTION_VERSION", "1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
                "AWS_REGION", "us-east-1", "_HANDLER", "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"));
        // The emulators first: DynamoDB Local (expression parsing, SQLite) and WireMock are cold JVM code on their
        // first requests, which AWS's services never are. A throw-away process of the same function makes 100
        // generates (the spare users), so the measured first call is the function's own (bench.warm-emulators=false:
        // not done). Its publishes and transactions are left out of the counts below.
        int warmUp = Boolean.parseBoolean(System.getProperty("bench.warm-emulators", "true")) ? 100 : 0;
        if (warmUp > 0) {
            Process throwAway = pb.redirectOutput(target.resolve("bench-function-warmup.log").toFile()).start();
            for (int i = 0; i < warmUp; i++) {
                String id = Integer.toString(100_000 + warm + 1 + i);
                invoke(event(token, id, "bench" + id));
            }
            throwAway.destroy();
            throwAway.waitFor(10, TimeUnit.SECONDS);
            // its last GET .../next is still waiting in the runtime API: hand it a dead invocation, then start afresh
            QUEUE.put(new Invocation("dead", new byte[0], new CompletableFuture<>(), new long[2]));
            while (!QUEUE.isEmpty()) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            firstNextAt = 0;
            pb.redirectOutput(target.resolve("bench-function.log").toFile());
        }
        long started = System.nanoTime();
        Process function = pb.start();
        List<Double> all = new ArrayList<>();
        try {
            for (int i = 0; i <= warm; i++) {
                String id = Integer.toString(100_000 + i);
                long[] t = invoke(event(token, id, "bench" + id));
                if (i == 0) {
                    System.out.printf("init        %8.1f ms  (process start to the first GET .../invocation/next)%n",
                            (firstNextAt - started) / 1e6);
                }
                all.add((t[1] - t[0]) / 1e6);
            }
            long rss = peakRss(function.pid());
            double first = all.get(0);
            double[] w = all.subList(Math.min(all.size() - 1, 1 + warm / 10), all.size()).stream()
                    .mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("first call  %8.1f ms%n", first);
            System.out.printf("warm        p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  (%d calls, the first 10%% dropped)%n",
                    pct(w, 50), pct(w, 90), pct(w, 99), w.length);
            System.out.printf("first/warm  %8.1f x p50%n", first / pct(w, 50));
            System.out.printf("calls made  %8d SNS publishes, %d transactions stored (expected: %d each)%n",
                    sns.getAllServeEvents().size() - warmUp,
                    client.scan(r -> r.tableName(tables.transactions()).select("COUNT")).count() - warmUp, warm + 1);
            System.out.printf("peak RSS    %8.1f MB  (VmHWM of the function's process)%n", rss / 1024.0);
            double[] floor = floor(dynamo.endpoint(), sns.baseUrl(), tables, warm);
            System.out.printf("floor       p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  (GetItem + TransactWriteItems of 5 + Publish, back to back, this JVM)%n",
                    pct(floor, 50), pct(floor, 90), pct(floor, 99));
            System.out.printf("overhead    p50 %6.2f ms  p99 %6.2f ms  (warm minus floor)%n", pct(w, 50) - pct(floor, 50),
                    pct(w, 99) - pct(floor, 99));
        } finally {
            function.destroy();
            function.waitFor(10, TimeUnit.SECONDS);
            api.stop(0);
            sns.stop();
            dynamo.stop();
            System.exit(0);
        }
    }

    static List<String> config(String dynamo, String sns) {
        List<String> c = new ArrayList<>(List.of("-Dotp.hmac-key=" + HMAC_KEY, "-Dotp.auth.token-key=" + TOKEN_KEY,
                // One address sending 500 codes to one country within minutes is what the fraud guard refuses (by
                // design, issue 11): the bench's caller is allow-listed (the daily budget is still counted).
                "-Dotp.fraud.allow.callers=1/google@sum.com"));
        for (String svc : List.of("dynamodb", "sns", "ses")) {
            c.add("-Dquarkus." + svc + ".endpoint-override=" + (svc.equals("dynamodb") ? dynamo : sns));
            c.add("-Dquarkus." + svc + ".aws.region=us-east-1");
            c.add("-Dquarkus." + svc + ".aws.credentials.type=static");
            c.add("-Dquarkus." + svc + ".aws.credentials.static-provider.access-key-id=bench");
            c.add("-Dquarkus." + svc + ".aws.credentials.static-provider.secret-access-key=bench");
        }
        return c;
    }

    /** Hands one event to the function; returns when it was handed over (GET .../next answered) and answered. */
    static long[] invoke(byte[] event) throws Exception {
        Invocation inv = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>(), new long[2]);
        INFLIGHT.put(inv.id(), inv);
        QUEUE.put(inv);
        byte[] answer = inv.answer().get(60, TimeUnit.SECONDS);
        inv.handedAt()[1] = System.nanoTime();
        String text = new String(answer, StandardCharsets.UTF_8);
        if (!text.contains("\"statusCode\":200")) {
            throw new IllegalStateException("not a 200: " + text);
        }
        return inv.handedAt();
    }

    static HttpServer runtimeApi() throws IOException {
        // TCP_NODELAY: without it the JDK server's separate header and body writes meet Nagle and the client's
        // delayed ACK, ~40 ms per invocation that Lambda's Runtime API does not have
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/2018-06-01/runtime/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (path.endsWith("/invocation/next")) {
                    if (firstNextAt == 0) {
                        firstNextAt = System.nanoTime();
                    }
                    Invocation inv = QUEUE.take();
                    exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.id());
                    exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                            Long.toString(System.currentTimeMillis() + 10_000));
                    exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:otp-gate-bench");
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    inv.handedAt()[0] = System.nanoTime();
                    respond(exchange, 200, inv.event());
                } else if (path.endsWith("/response") || path.endsWith("/error")) {
                    String id = path.split("/")[4];
                    Invocation inv = INFLIGHT.remove(id);
                    respond(exchange, 202, new byte[0]);
                    if (path.endsWith("/error")) {
                        inv.answer().completeExceptionally(new IllegalStateException(new String(body, StandardCharsets.UTF_8)));
                    } else {
                        inv.answer().complete(body);
                    }
                } else {
                    System.err.println("runtime API: " + path + " " + new String(body, StandardCharsets.UTF_8));
                    respond(exchange, 202, new byte[0]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An API Gateway HTTP API (payload 2.0) event: events/generate.json with a TokenID caller's request as body. */
    static byte[] event(String token, String userId, String userName) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("events", "generate.json")));
        ObjectNode body = (ObjectNode) JSON.readTree(Files.readString(Path.of("src/test/resources/seed/seed-request.json")));
        ObjectNode proxy = (ObjectNode) body.path("objCommonParameters").path("_ProxyDetails");
        proxy.put("TokenID", token).remove(List.of("Password", "AuthType", "UserName"));
        ((ObjectNode) body.path("objCommonParameters").path("objUserInformation")).put("UserID", userId)
                .put("LoginUID", userId).put("UserName", userName);
        String text = body.toString();
        event.put("body", text);
        ((ObjectNode) event.path("headers")).put("content-length", Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
        ((ObjectNode) event.path("requestContext")).put("requestId", UUID.randomUUID().toString());
        return JSON.writeValueAsBytes(event);
    }

    /** The three AWS calls of a generate, made directly with the same SDK and HTTP client, back to back. */
    static double[] floor(String dynamoEndpoint, String snsEndpoint, OtpConfig.Tables tables, int n) {
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint))
                .region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
                SnsClient sns = SnsClient.builder().endpointOverride(URI.create(snsEndpoint)).region(Region.US_EAST_1)
                        .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build()) {
            double[] out = new double[n];
            for (int i = -n / 5; i < n; i++) { // a fifth more as warm-up
                String tx = UUID.randomUUID().toString();
                long now = Instant.now().getEpochSecond();
                long t0 = System.nanoTime();
                dynamo.getItem(r -> r.tableName(tables.users()).consistentRead(false)
                        .key(Map.of("DomainId", s("1"), "UserID", s("100000"))));
                // five items, as the function's has here (failed-guess budget, user and destination counters, the
                // SMS budget's shard: counter updates with a condition; the transaction: a put)
                List<TransactWriteItem> items = new ArrayList<>();
                for (String counter : List.of("guess", "user", "destination", "budget")) {
                    items.add(TransactWriteItem.builder().update(Update.builder().tableName(tables.limits())
                            .key(Map.of("LimitKey", s("floor#" + counter + "#" + tx)))
                            .updateExpression("SET #c = if_not_exists(#c, :z) + :one, ExpiresAt = :e")
                            .conditionExpression("attribute_not_exists(#c) OR #c < :max")
                            .expressionAttributeNames(Map.of("#c", "Count"))
                            .expressionAttributeValues(Map.of(":z", n("0"), ":one", n("1"), ":max", n("1000"),
                                    ":e", n(Long.toString(now + 300))))
                            .build()).build());
                }
                items.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.transactions())
                        .item(Map.of("TransactionID", s(tx), "State", s("PENDING"), "CodeHash", s("x".repeat(64)),
                                "ExpiresAt", n(Long.toString(now + 300))))
                        .conditionExpression("attribute_not_exists(TransactionID)").build()).build());
                dynamo.transactWriteItems(r -> r.transactItems(items));
                sns.publish(r -> r.phoneNumber("+14155550000").message("Your code is 123456. It expires in 5 minutes."));
                if (i >= 0) {
                    out[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(out);
            return out;
        }
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static long peakRss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static OtpConfig.Tables tables() {
        return new OtpConfig.Tables() {
            public String users() { return "otp-users"; }
            public String transactions() { return "otp-transactions"; }
            public String limits() { return "otp-limits"; }
            public String callers() { return "otp-callers"; }
            public String orgs() { return "otp-orgs"; }
        };
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void unzip(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> all = Files.walk(into)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                Path to = into.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
