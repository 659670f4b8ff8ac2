package dev.otpgate.support.regions;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API of one region's function (what Lambda's service side is to the java21 runtime): the
 * function polls /invocation/next, the test's invocations wait in a queue for it, and its /response completes them.
 * The Lambda mock event server of Quarkus's tests serves one function; two regions need one each.
 */
public final class RuntimeApi implements AutoCloseable {

    private record Invocation(String id, byte[] event, CompletableFuture<String> answer) {
    }

    private static final String BASE = "/2018-06-01/runtime/";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();

    public RuntimeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** What AWS_LAMBDA_RUNTIME_API says: host:port. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hands the event to the function and waits for its answer (the API Gateway response event, as JSON). */
    public String invoke(String event, Duration timeout) {
        Invocation inv = new Invocation(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8),
                new CompletableFuture<>());
        pending.add(inv);
        try {
            return inv.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the function did not answer: " + e, e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring(BASE.length());
        byte[] body = x.getRequestBody().readAllBytes();
        if (path.equals("invocation/next")) {
            Invocation inv;
            try {
                inv = pending.take();
            } catch (InterruptedException e) {
                x.sendResponseHeaders(500, -1);
                x.close();
                return;
            }
            inFlight.put(inv.id(), inv);
            x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.id());
            x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
            x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:otp-gate");
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, inv.event().length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(inv.event());
            }
            return;
        }
        if (path.startsWith("invocation/")) {
            String[] parts = path.split("/");
            Invocation inv = inFlight.remove(parts[1]);
            if (inv != null) {
                String text = new String(body, StandardCharsets.UTF_8);
                if (parts[2].equals("response")) {
                    inv.answer().complete(text);
                } else {
                    inv.answer().completeExceptionally(new IllegalStateException("function error: " + text));
                }
            }
        }
        x.sendResponseHeaders(202, -1);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
