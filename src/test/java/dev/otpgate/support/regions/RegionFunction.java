package dev.otpgate.support.regions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.support.RawEvents;
import dev.otpgate.support.Seed;
import dev.otpgate.support.lambda.LambdaJarLauncher;
import dev.otpgate.support.lambda.LambdaRuntimeLoop;

/**
 * The packaged function (target/function.zip, unzipped) run as one AWS region, as Lambda runs it there: its own
 * JVM with AWS_REGION set, its own Runtime API, its region's DynamoDB. Requests reach it as API Gateway HTTP API
 * events, as they would through that region's API.
 */
public final class RegionFunction implements AutoCloseable {

    private final String region;
    private final RuntimeApi api = new RuntimeApi();
    private final Process process;
    private final Path log;

    private RegionFunction(String region, Path task, Path loop, Map<String, String> properties, Path log) throws IOException {
        this.region = region;
        this.log = log;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Dquarkus.profile=it"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", task + java.io.File.pathSeparator + task.resolve("lib") + "/*"
                + java.io.File.pathSeparator + loop, LambdaRuntimeLoop.class.getName(), LambdaJarLauncher.HANDLER));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
        builder.environment().put("AWS_REGION", region); // as Lambda sets it
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "otp-gate");
        builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        this.process = builder.start();
    }

    /**
     * Unzips target/function.zip once into {@code target/<dir>} and starts the function as {@code region}, with
     * {@code properties} as system properties (its endpoints). Waits until its runtime loop is ready.
     */
    public static RegionFunction start(String region, Path task, Path loop, Map<String, String> properties)
            throws IOException, InterruptedException {
        Path log = task.getParent().resolve("region-" + region + ".log");
        Files.deleteIfExists(log);
        RegionFunction f = new RegionFunction(region, task, loop, properties, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(LambdaRuntimeLoop.READY)) {
                return f;
            }
            if (!f.process.isAlive()) {
                throw new IllegalStateException(region + ": the function did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        f.close();
        throw new IllegalStateException(region + ": the function did not start in 120 s:\n" + Files.readString(log));
    }

    /** Unpacks the package that ships and the runtime loop beside it, for {@link #start}. */
    public static Path[] unpack(Path target) throws IOException {
        Path zip = target.resolve("function.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: the two-region test runs the package that ships");
        }
        Path task = target.resolve("regions-task");
        LambdaJarLauncher.unzip(zip, task);
        Path loop = target.resolve("regions-loop");
        LambdaJarLauncher.copyLoopClasses(loop);
        return new Path[] { task, loop };
    }

    public String region() {
        return region;
    }

    /** An envelope POSTed to the vendor's URL from {@code sourceIp}, through this region's API. */
    public RawEvents.Answer post(String body) {
        ObjectNode event = RawEvents.template();
        event.put("body", body);
        event.put("isBase64Encoded", false);
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", "127.0.0.1");
        ((ObjectNode) event.path("requestContext")).put("requestId", "r" + System.nanoTime());
        return answer(api.invoke(event.toString(), Duration.ofSeconds(60)));
    }

    /** A GET of {@code path} (the health check's /q/health/ready) through this region's API. */
    public RawEvents.Answer get(String path) {
        ObjectNode event = RawEvents.template();
        event.put("routeKey", "GET " + path);
        event.put("rawPath", path);
        event.remove("body");
        event.put("isBase64Encoded", false);
        ObjectNode headers = (ObjectNode) event.path("headers");
        headers.remove("content-length");
        headers.remove("content-type");
        headers.put("user-agent", "Amazon-Route53-Health-Check-Service");
        ObjectNode context = (ObjectNode) event.path("requestContext");
        context.put("routeKey", "GET " + path);
        context.put("requestId", "h" + System.nanoTime());
        ((ObjectNode) context.path("http")).put("method", "GET").put("path", path).put("sourceIp", "127.0.0.1");
        return answer(api.invoke(event.toString(), Duration.ofSeconds(60)));
    }

    private static RawEvents.Answer answer(String raw) {
        JsonNode answer = Seed.tree(raw);
        String text = answer.path("body").asText();
        if (answer.path("isBase64Encoded").asBoolean()) {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
        return new RawEvents.Answer(answer.path("statusCode").asInt(),
                text.isEmpty() ? Seed.JSON.createObjectNode() : Seed.tree(text));
    }

    /** The function's output so far (for a failure's message). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        api.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
