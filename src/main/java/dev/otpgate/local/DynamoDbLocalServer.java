package dev.otpgate.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local inside this JVM: the real DynamoDB API for the local run (its data in files under target/, so
 * that a live reload, which stops and starts the application, keeps them) and the tests (in memory).
 * Its jar is a "provided" dependency, so it is never packaged into the function.
 */
public final class DynamoDbLocalServer {

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on the port; -sharedDb so that every access key and region sees the same tables;
     * -disableTelemetry, or it calls AWS (Cognito) at start and logs the failure on a machine without a network.
     */
    public static DynamoDbLocalServer start(int port) {
        return start(port, null);
    }

    /** As {@link #start(int)}, its data in {@code dataDir} (kept across starts), or in memory when null. */
    public static DynamoDbLocalServer start(int port, Path dataDir) {
        // SQLite's native library, copied there by the build (maven-dependency-plugin, process-resources).
        Path natives = Path.of("target", "native-libs").toAbsolutePath();
        if (!Files.isDirectory(natives)) {
            throw new IllegalStateException(natives + " is missing: run the build through ./mvnw");
        }
        System.setProperty("sqlite4java.library.path", natives.toString());
        try {
            List<String> args = new ArrayList<>(List.of("-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)));
            if (dataDir == null) {
                args.add("-inMemory");
            } else {
                Files.createDirectories(dataDir);
                args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new DynamoDbLocalServer(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping a throw-away in-memory database: nothing to save
        }
    }
}
