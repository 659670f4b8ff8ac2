package dev.otpgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Operator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 23: a live reload of the local run stops its application and starts it again in the same JVM (LocalRun's
 * shutdown and startup). What the operators' tool imported, and the TokenIDs handed out (the seed caller's
 * TokensNotBefore), must be there after it: DynamoDB Local's data are files. A new quarkus:dev starts afresh.
 */
class LocalRunKeepsItsDataTest {

    @TempDir
    Path data;

    @Test
    void whatTheToolImportedAndTheSeedCallersTokensOutliveARestart() {
        int port = AwsLocalResource.freePort();
        DynamoDbLocalServer first = DynamoDbLocalServer.start(port, data);
        Map<String, AttributeValue> seedCaller;
        try {
            assertTrue(LocalRun.setUp(first.endpoint(), AwsLocalResource.TABLES, "1", new PasswordHasher(), 0), "seeded");
            try (DynamoDbClient dynamo = SetUpClient.open(first.endpoint())) {
                Operator.Run put = Operator.run(dynamo, "", "user", "put", "--org", "2", "--domain", "1", "--user", "7001",
                        "--name", "Carol Jones");
                assertEquals(0, put.status(), put.err());
                seedCaller = caller(dynamo);
            }
        } finally {
            first.stop();
        }

        DynamoDbLocalServer second = DynamoDbLocalServer.start(port, data); // the reload: same port, same files
        try {
            assertFalse(LocalRun.setUp(second.endpoint(), AwsLocalResource.TABLES, "1", new PasswordHasher(), 0),
                    "the data of the last start are kept, not seeded again");
            try (DynamoDbClient dynamo = SetUpClient.open(second.endpoint())) {
                Operator.Run show = Operator.run(dynamo, "", "user", "show", "--org", "2", "--domain", "1", "--user", "7001");
                assertEquals(0, show.status(), show.err());
                assertTrue(show.out().contains("name: Carol Jones"), show.out());
                assertEquals(seedCaller.get("TokensNotBefore"), caller(dynamo).get("TokensNotBefore"),
                        "the TokenIDs handed out before the reload are still valid");
            }
        } finally {
            second.stop();
        }
    }

    /** A new quarkus:dev (a new JVM) starts afresh: no cooldown or hold of an earlier session; a reload keeps. */
    @Test
    void theFirstStartInAJvmStartsAfreshAReloadKeeps() throws java.io.IOException {
        String before = System.clearProperty(LocalRun.STARTED);
        try {
            Path db = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(data.resolve("d")).resolve("x.db"), "old");
            LocalRun.freshAtFirstStart(data.resolve("d"));
            assertFalse(java.nio.file.Files.exists(db), "the first start empties it");
            java.nio.file.Files.createDirectories(db.getParent()); // as DynamoDbLocalServer.start does
            java.nio.file.Files.writeString(db, "this session's");
            LocalRun.freshAtFirstStart(data.resolve("d"));
            assertTrue(java.nio.file.Files.exists(db), "a reload keeps it");
        } finally {
            if (before == null) {
                System.clearProperty(LocalRun.STARTED);
            } else {
                System.setProperty(LocalRun.STARTED, before);
            }
        }
    }

    private static Map<String, AttributeValue> caller(DynamoDbClient dynamo) {
        return dynamo.getItem(r -> r.tableName(AwsLocalResource.CALLERS).consistentRead(true).key(Map.of(
                "OrgID", AttributeValue.fromS("1"), "UserName", AttributeValue.fromS("google@sum.com")))).item();
    }
}
