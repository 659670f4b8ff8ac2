package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.otpgate.dynamo.UserLimitKeys;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** user import, export, show and remove: the operators' tool against DynamoDB Local, and the function after. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class UserDirectoryTest extends FunctionTest {

    static final String HEADER = "DomainId,UserID,UserName,Mobile,Email,Prefer,Locale\n";

    @TempDir
    Path dir;

    String org;

    @BeforeEach
    void newOrganisation() {
        org = "dir-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCsvImportStoresTheGoodRowsListsTheBadOnesByLineAndARerunChangesNothing() throws IOException {
        Path csv = file("users.csv", HEADER
                + "1,1001,ann,+16502530001,ann@example.com,SMS,en-US\n"   // line 2
                + "1,1002,bob,+1415,bob@example.com,SMS,en\n"             // 3: not a number
                + "1,1003,\"cat, the\nsecond\",,cat@example.com,EMAIL,\n" // 4-5: a quoted field over two lines, a line break in a name
                + "1,1004,dan,,dan@example,,\n"                           // 6: no e-mail address
                + "\n"                                                    // 7: blank
                + "1,1005,eve,,,PIGEON,\n"                                // 8: no such channel
                + "1,1006,fay,,,,not a tag\n"                             // 9
                + "1,1007,gus\n"                                          // 10: three fields
                + "1,1001,ann again,,,,\n"                                // 11: the same user as line 2
                + "1,10#8,hal,,,,\n"                                      // 12: '#' in an id
                + "2,1009,ivy,+442079460958,,,en-GB\n");                  // 13
        Operator.Run run = admin("user", "import", "--org", org, "--csv", csv.toString());
        assertEquals(1, run.status(), "a row was refused: " + run.err());
        List<String> refused = run.out().lines().filter(l -> l.startsWith("line ")).toList();
        assertEquals(List.of(
                "line 3: Mobile must be in E.164 form: +, the country code and the number, such as +14155550142",
                "line 4: UserName may not hold control characters (a line break, NUL, ESC)",
                "line 6: Email must be one e-mail address, such as ann@example.com",
                "line 8: Prefer must be SMS, VOICE or EMAIL",
                "line 9: Locale must be a BCP 47 tag, such as de-DE",
                "line 10: 3 fields, the header has 7",
                "line 11: the same user as line 2",
                "line 12: UserID may hold only letters, digits and . _ @ : -"), refused);
        assertTrue(run.out().contains("Written 2, unchanged 0, refused 8"), run.out());
        assertTrue(run.err().contains("10 of 10 rows (100%)"), "the last progress line: " + run.err());
        assertEquals("+16502530001", user("1", "1001").get("Mobile").s());
        assertTrue(user("1", "1003").isEmpty(), "a line break in a name is refused");
        assertEquals("en-GB", user("2", "1009").get("Locale").s());
        assertTrue(user("1", "1002").isEmpty() && user("1", "1005").isEmpty(), "a refused row stores nothing");

        Operator.Run again = admin("user", "import", "--org", org, "--csv", csv.toString());
        assertEquals(1, again.status());
        assertTrue(again.out().contains("Written 0, unchanged 2, refused 8"), again.out());

        Path good = file("good.csv", HEADER + "1,1001,ann,+16502530001,ann@example.com,SMS,en-US\n"
                + "1,1003,cat,,cat@example.com,EMAIL,\n");
        Operator.Run fixed = admin("user", "import", "--org", org, "--csv", good.toString());
        assertEquals(0, fixed.status(), fixed.out() + fixed.err());
        assertTrue(fixed.out().contains("Written 1, unchanged 1, refused 0"), fixed.out());
        assertEquals("cat", user("1", "1003").get("UserName").s());
        assertFalse(user("1", "1003").containsKey("Mobile"), "an empty field is no attribute");
    }

    @Test
    void jsonLinesTakeIdsAsNumbersOrStringsAndNameTheLineOfABadOne() throws IOException {
        Path jsonl = file("users.jsonl", """
                {"DomainId": 1, "UserID": 2001, "UserName": "ann", "Mobile": "+16502530001", "Prefer": "SMS"}
                {"DomainId": "1", "UserID": "2002", "UserName": "bob", "Email": "bob@example.com", "Locale": null}

                {"DomainId": 1, "UserID": 2003.5, "UserName": "cat"}
                {"DomainId": 1, "UserID": 2004, "UserName": "dan", "Mobil": "+16502530001"}
                not json
                [1, 2]
                {"DomainId": 1, "UserID": 2005, "Email": "eve@example.com"}
                """);
        Operator.Run run = admin("user", "import", "--org", org, "--jsonl", jsonl.toString());
        assertEquals(1, run.status());
        List<String> refused = run.out().lines().filter(l -> l.startsWith("line ")).map(l -> l.replaceAll(":.*", ""))
                .toList();
        assertEquals(List.of("line 4", "line 5", "line 6", "line 7", "line 8"), refused, run.out());
        assertTrue(run.out().contains("line 4: UserID must be a string or a whole number"), run.out());
        assertTrue(run.out().contains("line 5: unknown field \"Mobil\""), run.out());
        assertTrue(run.out().contains("line 8: UserName is needed"), run.out());
        assertTrue(run.out().contains("Written 2, unchanged 0, refused 5"), run.out());
        assertEquals("ann", user("1", "2001").get("UserName").s());
        assertEquals("bob@example.com", user("1", "2002").get("Email").s());
    }

    @Test
    void aDryRunChecksAndComparesButWritesNothing() throws IOException {
        Path csv = file("users.csv", HEADER + "1,3001,ann,,ann@example.com,,\n1,3002,bob,+1415,,,\n");
        Operator.Run dry = admin("user", "import", "--org", org, "--csv", csv.toString(), "--dry-run");
        assertEquals(1, dry.status());
        assertTrue(dry.out().contains("line 3: Mobile"), dry.out());
        assertTrue(dry.out().contains("Dry run, nothing written: would write 1, unchanged 0, refused 1"), dry.out());
        assertTrue(user("1", "3001").isEmpty(), "nothing written");
    }

    @Test
    void anExportImportsBackUnchangedAndIntoAnotherOrganisationAsItWas() throws IOException {
        Path csv = file("users.csv", HEADER + "1,4001,\"ann, \"\"the first\"\"\",+16502530001,ann@example.com,SMS,en-US\n"
                + "1,4002,bob,,bob@example.com,EMAIL,\n2,4003,cat,+442079460958,,,\n");
        assertEquals(0, admin("user", "import", "--org", org, "--csv", csv.toString()).status());
        assertEquals(0, admin("user", "put", "--org", "other-" + org, "--domain", "1", "--user", "4001", "--name", "x")
                .status(), "another organisation's user");
        for (String format : new String[] { "--csv", "--jsonl" }) {
            Path out = dir.resolve("export" + format.substring(2));
            Operator.Run export = admin("user", "export", "--org", org, format, out.toString());
            assertEquals(0, export.status(), export.err());
            assertTrue(export.out().startsWith("3 users of organisation " + org), "only its own: " + export.out());
            Operator.Run back = admin("user", "import", "--org", org, format, out.toString());
            assertEquals(0, back.status(), back.out());
            assertTrue(back.out().contains("Written 0, unchanged 3, refused 0"), format + ": " + back.out());

            String copy = "copy-" + format.substring(2) + "-" + org;
            assertTrue(admin("user", "import", "--org", copy, format, out.toString()).out().contains("Written 3"));
            Path again = dir.resolve("again" + format.substring(2));
            assertEquals(0, admin("user", "export", "--org", copy, format, again.toString()).status());
            assertEquals(sortedLines(out), sortedLines(again), "the round trip keeps every field");
        }
        assertTrue(sortedLines(dir.resolve("exportcsv")).contains("1,4001,\"ann, \"\"the first\"\"\",'+16502530001,"
                + "ann@example.com,SMS,en-US"), "a number is text to a spreadsheet: "
                + String.join("\n", sortedLines(dir.resolve("exportcsv"))));
    }

    @Test
    void showMasksTheNumberAndAddressAndSaysWhenTheFailureCapHoldsTheUser() {
        assertEquals(0, admin("user", "put", "--org", org, "--domain", "1", "--user", "5001", "--name", "ann",
                "--mobile", "+16502530001", "--email", "ann@example.com", "--prefer", "SMS").status());
        Operator.Run show = admin("user", "show", "--org", org, "--domain", "1", "--user", "5001");
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().contains("mobile: ********0001") && show.out().contains("email: an***@ex***.com"), show.out());
        assertFalse(show.out().contains("6502530001") || show.out().contains("ann@example.com"), show.out());
        assertTrue(show.out().contains("consecutive wrong guesses: 0 of 100") && !show.out().contains("HELD"), show.out());

        data.dynamo().putItem(r -> r.tableName(AwsLocalResource.LIMITS).item(Map.of(
                "LimitKey", AttributeValue.fromS(UserLimitKeys.consecutiveFailures(org + "#1", "5001")),
                "Count", AttributeValue.fromN("100"),
                "ExpiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 86_400)))));
        Operator.Run held = admin("user", "show", "--org", org, "--domain", "1", "--user", "5001");
        assertTrue(held.out().contains("consecutive wrong guesses: 100 of 100: HELD by the failure cap"), held.out());

        Operator.Run nobody = admin("user", "show", "--org", org, "--domain", "1", "--user", "5002");
        assertEquals(1, nobody.status());
        assertTrue(nobody.err().contains("No such user"), nobody.err());
    }

    @Test
    void aRemovedUsersCodeNoLongerValidatesAndNothingOfTheirsIsLeft() {
        // A first request of a fresh test JVM can meet the function's 1 s DynamoDB timeout on a loaded machine
        // (issue 16, finding 8): one call, whatever its answer, before the ones this test reads.
        Flows.post(dev.otpgate.support.Seed.request());
        data.clearLimits();
        String other = "other-" + org; // the same DomainId and UserID in another organisation, with a code of its own
        data.caller(other, "google@sum.com", "XXXX@123", null, java.util.Set.of("1")); // the seed request's caller
        assertEquals(0, admin("user", "put", "--org", other, "--domain", "1", "--user", "967", "--name", "abcd",
                "--mobile", "+14155550199").status());
        Flows.generate(aws, TenantsTest.request(other, "967", "abcd"));
        Flows.Issued otp = Flows.generate(aws); // the seed's user: organisation 1 (the legacy one), 1/967
        String transactionId = otp.transactionId();
        Flows.validate(transactionId, "967", Flows.wrong(otp.code())).then().statusCode(400); // leaves failure counters
        assertFalse(data.transaction(transactionId).isEmpty());

        Operator.Run remove = admin("user", "remove", "--org", "1", "--domain", "1", "--user", "967");
        assertEquals(0, remove.status(), remove.err());
        // 2 limit items: the send counter (with the pointer to the code) and the consecutive failures (which hold the
        // caller's hour since issue 22); the seed's user has the transactions of the tests before this one too
        assertTrue(remove.out().matches("(?s).*removed: directory item, [1-9]\\d* transactions, 2 limit items.*"),
                remove.out());

        Response late = Flows.validate(transactionId, "967", otp.code());
        assertEquals(404, late.statusCode(), late.asString());
        assertTrue(directoryItem("1", "967").isEmpty());
        assertTrue(data.transaction(transactionId).isEmpty(), "the code's hash is gone");
        assertEquals(0, data.dynamo().scan(r -> r.tableName(AwsLocalResource.TRANSACTIONS).consistentRead(true)
                .filterExpression("(OrgID = :o OR attribute_not_exists(OrgID)) AND DomainId = :d AND UserID = :u")
                .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("1"), ":d", AttributeValue.fromS("1"),
                        ":u", AttributeValue.fromS("967")))).count(), "nor any other of organisation 1's 1/967");
        assertTrue(data.dynamo().scan(r -> r.tableName(AwsLocalResource.TRANSACTIONS).consistentRead(true)
                .filterExpression("OrgID = :o").expressionAttributeValues(Map.of(":o", AttributeValue.fromS(other))))
                .count() > 0, "another organisation's 1/967 keeps theirs");
        String left = data.everything();
        assertFalse(left.matches("(?s).*\\b(user|fails|consecutive)#1#967\\b.*"), "no limit item of theirs: " + left);
        assertTrue(left.contains("user#" + other + "#1#967"), "the other organisation's user keeps theirs");

        Operator.Run again = admin("user", "remove", "--org", "1", "--domain", "1", "--user", "967");
        assertEquals(1, again.status());
        assertTrue(again.err().contains("No such user"), again.err());
    }

    @Test
    void helpAndTheLocalRunNeedNoAwsRegionOrCredentials() throws Exception {
        Process help = tool("--help");
        String helpOut = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String helpErr = new String(help.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue(), helpErr);
        assertTrue(helpOut.startsWith("Usage: admin") && helpOut.contains("user") && helpOut.contains("caller"), helpOut);
        assertFalse(helpErr.contains("Exception"), helpErr);

        Process show = tool("org", "show", "--org", org, "--endpoint", AwsLocalResource.dynamoEndpoint());
        String showOut = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String showErr = new String(show.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(show.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, show.exitValue(), showErr);
        assertTrue(showOut.contains("Organisation " + org + " has no settings"), showOut);

        Operator.Run wrong = admin("user", "import", "--org", org, "--csv", "a.csv", "--jsonl", "b.jsonl");
        assertEquals(2, wrong.status());
        assertTrue(wrong.err().contains("mutually exclusive") && wrong.err().contains("Usage: admin user import"),
                wrong.err());
    }

    /** The tool in a JVM of its own, as an operator runs it, with no AWS variable and an empty home (no ~/.aws). */
    Process tool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.otpgate.admin.Admin"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("HOME", dir.toString());
        return pb.start();
    }

    Operator.Run admin(String... args) {
        return Operator.run(data.dynamo(), "", args);
    }

    /** The test's organisation's user, as stored. */
    Map<String, AttributeValue> user(String domain, String userId) {
        return directoryItem(org + "#" + domain, userId);
    }

    Map<String, AttributeValue> directoryItem(String domainKey, String userId) {
        Map<String, AttributeValue> item = data.dynamo().getItem(r -> r.tableName(AwsLocalResource.USERS)
                .key(Map.of("DomainId", AttributeValue.fromS(domainKey), "UserID", AttributeValue.fromS(userId)))).item();
        return item == null ? Map.of() : item;
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().sorted().toList();
    }
}
