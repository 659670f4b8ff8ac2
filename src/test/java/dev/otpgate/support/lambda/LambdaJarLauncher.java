package dev.otpgate.support.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.quarkus.test.common.JarArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;

/**
 * How {@code @QuarkusIntegrationTest} runs the JVM package here (registered in
 * META-INF/services/io.quarkus.test.common.JarArtifactLauncher): not {@code java -jar} (the JVM package has no
 * poll loop of its own: on Lambda the java21 runtime calls QuarkusStreamHandler), but the way Lambda runs it.
 * target/function.zip, the artifact that ships, is unzipped; a JVM with Lambda's flags (C1 only) runs
 * {@link LambdaRuntimeLoop} around {@code io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest}
 * with the zip's root and lib/*.jar as its class path, and AWS_LAMBDA_RUNTIME_API pointing at the Lambda mock
 * event server that Quarkus starts for the tests (a dev service in the test JVM). The function's output goes to
 * target/quarkus.log, as with Quarkus's own launchers.
 */
public class LambdaJarLauncher implements JarArtifactLauncher {

    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private JarInitContext context;
    private final Map<String, String> systemProperties = new HashMap<>();
    private Process process;

    @Override
    public void init(JarInitContext context) {
        this.context = context;
    }

    @Override
    public void includeAsSysProps(Map<String, String> properties) {
        systemProperties.putAll(properties);
    }

    @Override
    public Optional<ListeningAddress> start() throws IOException {
        Path target = context.jarPath().toAbsolutePath().getParent();
        Path zip = target.resolve("function.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: the IT runs the package that ships");
        }
        Path task = target.resolve("lambda-task");
        unzip(zip, task);
        Path loop = target.resolve("lambda-runtime-loop");
        copyLoopClasses(loop);
        Path log = target.resolve("quarkus.log");
        Files.deleteIfExists(log);

        String api = systemProperties.get("quarkus-internal.aws-lambda.test-api");
        if (api == null) {
            throw new IllegalStateException("no Lambda mock event server: quarkus.lambda.mock-event-server.enabled?");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+TieredCompilation"); // the java21 runtime's JVM flags: C1 only
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(context.argLine());
        if (context.testProfile() != null && !context.testProfile().isBlank()) {
            command.add("-Dquarkus.profile=" + context.testProfile());
        }
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(task + java.io.File.pathSeparator + task.resolve("lib") + "/*" + java.io.File.pathSeparator + loop);
        command.add(LambdaRuntimeLoop.class.getName());
        command.add(HANDLER);

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(context.env());
        env.put("AWS_LAMBDA_RUNTIME_API", api);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "otp-gate"); // CallLog names the function by it, as on Lambda
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("_HANDLER", HANDLER);
        process = builder.start();

        long deadline = System.nanoTime() + Math.max(context.waitTime().toNanos(), Duration.ofSeconds(60).toNanos());
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(LambdaRuntimeLoop.READY)) {
                return Optional.empty(); // no HTTP port: requests go through the mock event server
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the packaged function did not start (exit " + process.exitValue()
                        + "):\n" + Files.readString(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the packaged function did not start within " + context.waitTime() + ":\n"
                + Files.readString(log));
    }

    @Override
    public LaunchResult runToCompletion(String[] args) {
        throw new UnsupportedOperationException("a Lambda function has no main to run to completion");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
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

    public static void unzip(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> all = Files.walk(into)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                Path to = into.resolve(e.getName()).normalize();
                if (!to.startsWith(into)) {
                    throw new IOException("bad entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Only the loop's own classes, so that no other test class can stand in for something the package lacks. */
    public static void copyLoopClasses(Path into) throws IOException {
        String dir = LambdaRuntimeLoop.class.getPackageName().replace('.', '/');
        Files.createDirectories(into.resolve(dir));
        for (String name : List.of("LambdaRuntimeLoop", "LambdaRuntimeLoop$LoopContext", "LambdaRuntimeLoop$LoopContext$1")) {
            try (InputStream in = LambdaRuntimeLoop.class.getResourceAsStream("/" + dir + "/" + name + ".class")) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("missing " + name));
                }
                Files.copy(in, into.resolve(dir).resolve(name + ".class"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
