package dev.otpgate.local;

import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, in memory, inside this JVM: the real DynamoDB API for the local run and the tests.
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
        // SQLite's native library, copied there by the build (maven-dependency-plugin, process-resources).
        Path natives = Path.of("target", "native-libs").toAbsolutePath();
        if (!Files.isDirectory(natives)) {
            throw new IllegalStateException(natives + " is missing: run the build through ./mvnw");
        }
        System.setProperty("sqlite4java.library.path", natives.toString());
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] { "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port) });
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
