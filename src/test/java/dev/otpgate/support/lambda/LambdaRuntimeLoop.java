package dev.otpgate.support.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * What the managed java21 runtime does with a JVM package, in a process of its own: load the handler class
 * ({@code Class::method} as in template.yaml's Handler) and make one instance of it (the init phase; for
 * QuarkusStreamHandler that boots Quarkus), then loop over the Lambda Runtime API at
 * {@code AWS_LAMBDA_RUNTIME_API}: GET .../invocation/next, call handleRequest(in, out, context), POST
 * .../response (or .../error). Only the JDK and aws-lambda-java-core (which the package brings): the class
 * is copied beside the unzipped function.zip, nothing else of the tests is on the function's class path.
 * Used by {@link LambdaJarLauncher} (the *IT classes) and by bench/PackageBench.java.
 */
public final class LambdaRuntimeLoop {

    public static final String READY = "LAMBDA-RUNTIME-LOOP ready";
    private static final String VERSION = "/2018-06-01/runtime";

    private LambdaRuntimeLoop() {
    }

    public static void main(String[] args) throws Exception {
        String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
        String handler = args.length > 0 ? args[0] : System.getenv("_HANDLER");
        if (api == null || handler == null) {
            throw new IllegalStateException("AWS_LAMBDA_RUNTIME_API and a handler (Class::method) are needed");
        }
        String base = "http://" + api + VERSION;
        long start = System.nanoTime();
        RequestStreamHandler function;
        try {
            function = (RequestStreamHandler) Class.forName(handler.split("::", 2)[0]).getDeclaredConstructor()
                    .newInstance();
        } catch (Throwable e) {
            post(base + "/init/error", error(e), "Runtime.Unknown");
            throw e;
        }
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            // SnapStart, emulated: the java runtime calls the CRaC hooks before the snapshot and after a restore
            long hooks = System.nanoTime();
            // (org.crac forwards to the implementation named by -Dorg.crac.Core.Compat, as on Lambda)
            Class.forName("org.crac.Core").getMethod("checkpointRestore").invoke(null);
            System.out.printf("LAMBDA-RUNTIME-LOOP snapshot hooks %.1f ms%n", (System.nanoTime() - hooks) / 1e6);
        }
        System.out.printf("%s: init %.1f ms%n", READY, (System.nanoTime() - start) / 1e6);
        System.out.flush();
        while (true) {
            HttpURLConnection next = (HttpURLConnection) new URL(base + "/invocation/next").openConnection();
            next.setReadTimeout(0);
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            } catch (IOException e) {
                return; // the Runtime API went away: the environment is shut down
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            String deadline = next.getHeaderField("Lambda-Runtime-Deadline-Ms");
            String arn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
            String trace = next.getHeaderField("Lambda-Runtime-Trace-Id");
            if (trace != null) {
                System.setProperty("com.amazonaws.xray.traceHeader", trace);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            try {
                function.handleRequest(new ByteArrayInputStream(event), out,
                        new LoopContext(requestId, arn, deadline == null ? 0 : Long.parseLong(deadline)));
                post(base + "/invocation/" + requestId + "/response", out.toByteArray(), null);
            } catch (Throwable e) {
                post(base + "/invocation/" + requestId + "/error", error(e), "Unhandled");
            }
            if (Boolean.getBoolean("lambda.loop.report")) {
                System.out.printf("REPORT RequestId: %s Duration: %.2f ms%n", requestId, (System.nanoTime() - t0) / 1e6);
            }
        }
    }

    private static byte[] error(Throwable e) {
        String message = String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"");
        return ("{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + e.getClass().getName() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void post(String url, byte[] body, String errorType) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(body.length);
        if (errorType != null) {
            c.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        }
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream o = c.getOutputStream()) {
            o.write(body);
        }
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    private record LoopContext(String requestId, String arn, long deadlineMs) implements Context {

        private static final LambdaLogger LOGGER = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
        }

        @Override
        public String getLogStreamName() {
            return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
        }

        @Override
        public String getFunctionName() {
            return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        }

        @Override
        public String getFunctionVersion() {
            return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
        }

        @Override
        public String getInvokedFunctionArn() {
            return arn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return deadlineMs == 0 ? Integer.MAX_VALUE : (int) Math.max(0, deadlineMs - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            String mb = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
            return mb == null ? 1024 : Integer.parseInt(mb);
        }

        @Override
        public LambdaLogger getLogger() {
            return LOGGER;
        }
    }
}
