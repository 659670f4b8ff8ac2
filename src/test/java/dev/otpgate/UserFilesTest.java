package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The files of user import and export, and what user show prints: issue 22, findings 5, 6, 9 and 10. */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class UserFilesTest extends FunctionTest {

    static final String HEADER = UserDirectoryTest.HEADER;

    @TempDir
    Path dir;

    String org;

    @BeforeEach
    void newOrganisation() {
        org = "uf-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Finding 5: no text cell of the CSV starts with = + - @ (OWASP), and the file imports back as it was. */
    @Test
    void anExportNeutralisesFormulasAndImportsBackUnchanged() throws IOException {
        put("=HYPERLINK(\"http://x.example\";\"click\")", "1", "-7001", "+16502530001", "=cmd@example.com");
        put("@SUM(1+1)", "1", "@7002", null, "+x@example.com");
        put("'=quoted already", "1", "7003", null, null);
        Path csv = dir.resolve("users.csv");
        Operator.Run export = admin("user", "export", "--org", org, "--csv", csv.toString());
        assertEquals(0, export.status(), export.err());
        for (String line : Files.readAllLines(csv)) {
            for (String cell : line.split(",")) {
                String text = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertFalse(text.matches("(?s)[=+\\-@\t\r].*"), "a cell a spreadsheet would run: " + line);
            }
        }
        Operator.Run back = admin("user", "import", "--org", org, "--csv", csv.toString());
        assertTrue(back.out().contains("Written 0, unchanged 3, refused 0"), back.out());
        assertEquals("=HYPERLINK(\"http://x.example\";\"click\")", user("1", "-7001").get("UserName").s());
        assertEquals("+16502530001", user("1", "-7001").get("Mobile").s());
        assertEquals("'=quoted already", user("1", "7003").get("UserName").s());
    }

    /** Finding 5: user show prints no terminal escape, whatever the directory holds. */
    @Test
    void showPrintsNoControlCharacter() {
        put("ann\u001b]0;pwned\u0007\u001b[2J", "1", "7101", null, null); // written behind the tool's back
        Operator.Run show = admin("user", "show", "--org", org, "--domain", "1", "--user", "7101");
        assertEquals(0, show.status(), show.err());
        assertFalse(show.out().chars().anyMatch(c -> c != '\n' && Character.isISOControl(c)), show.out());
        assertTrue(show.out().contains("name: ann\\u001b]0;pwned\\u0007\\u001b[2J"), show.out());
    }

    /** Finding 6: a row that cannot be stored is refused with its line, by the dry run and the import alike. */
    @Test
    void aRowTooBigToStoreIsRefusedWithItsLineAndTheRestGoIn() throws IOException {
        StringBuilder rows = new StringBuilder(HEADER);
        for (int i = 1; i <= 30; i++) {
            rows.append("1,").append(8000 + i).append(',').append(i == 12 ? "x".repeat(410_000) : "u" + i).append(",,,,\n");
        }
        // 1/8031 holds an attribute of its own (kept by an import) that leaves no room for its row's fields
        data.dynamo().putItem(r -> r.tableName(AwsLocalResource.USERS).item(Map.of("DomainId", s(org + "#1"),
                "UserID", s("8031"), "UserName", s("old"), "Notes", s("n".repeat(409_400)))));
        rows.append("1,8031,").append("y".repeat(250)).append(",,").append("z".repeat(60)).append("@example.com,,\n");
        Path csv = Files.writeString(dir.resolve("big.csv"), rows);

        Operator.Run dry = admin("user", "import", "--org", org, "--csv", csv.toString(), "--dry-run");
        Operator.Run run = admin("user", "import", "--org", org, "--csv", csv.toString());
        for (Operator.Run r : List.of(dry, run)) {
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("line 13: UserName may have at most 256 characters"), r.out());
            assertTrue(r.out().contains("line 32: too big to store"), r.out());
        }
        assertTrue(dry.out().contains("would write 29, unchanged 0, refused 2"), dry.out());
        assertTrue(run.out().contains("Written 29, unchanged 0, refused 2"), run.out());
        assertEquals("u30", user("1", "8030").get("UserName").s());
        assertEquals("old", user("1", "8031").get("UserName").s());
    }

    /** Finding 6: a field past Jackson's 20 M characters is a clear refusal of the file, nothing written. */
    @Test
    void aHugeFieldIsRefusedWithItsLineNotACrash() throws IOException {
        Path csv = dir.resolve("huge.csv");
        try (OutputStream out = Files.newOutputStream(csv)) {
            out.write((HEADER + "1,8101,ann,,,,\n1,8102,").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 21; i++) {
                out.write(chunk);
            }
            out.write(",,,,\n".getBytes(StandardCharsets.US_ASCII));
        }
        Operator.Run run = admin("user", "import", "--org", org, "--csv", csv.toString());
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("line 3: a field of more than 20000000 characters"), run.err());
        assertTrue(user("1", "8101").isEmpty(), "nothing written");
    }

    /** Finding 9: the importer refuses what the function would refuse, and reads what spreadsheets write. */
    @Test
    void theImportRefusesWhatTheFunctionRefusesAndReadsASpreadsheetsCsv() throws IOException {
        Path csv = Files.write(dir.resolve("bom.csv"), ("\uFEFF" + HEADER
                + "1,8201,ann,+16502530001,,,\n"                 // 2
                + "1,8202,bob,+19002345678,,,\n"                 // 3: premium rate
                + "1,8203,cat,+18002345678,,,\n"                 // 4: toll-free
                + "1,8204," + "n".repeat(257) + ",,,,\n"         // 5
                + "1,8205,\"dan\u0000\",,,,\n"                   // 6: NUL
                + "1,8206,\"eve\u001b[2J\",,,,\n"                // 7: ESC
                + "1,8207,\"fay\r\nsecond\",,,,\n"               // 8: CR LF
                + "1,8208,gus,,\"a,b@example.com\",,\n"          // 10: two addresses
                + "1,8209,hal,+1415555014,,,\n")                 // 11: not valid
                .getBytes(StandardCharsets.UTF_8));
        Operator.Run run = admin("user", "import", "--org", org, "--csv", csv.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertEquals(List.of(
                "line 3: Mobile cannot take a code: it is a premium-rate number",
                "line 4: Mobile cannot take a code: it is a toll-free number",
                "line 5: UserName may have at most 256 characters",
                "line 6: UserName may not hold control characters (a line break, NUL, ESC)",
                "line 7: UserName may not hold control characters (a line break, NUL, ESC)",
                "line 8: UserName may not hold control characters (a line break, NUL, ESC)",
                "line 10: Email must be one e-mail address, such as ann@example.com",
                "line 11: Mobile is not a valid number for its country code"),
                run.out().lines().filter(l -> l.startsWith("line ")).toList());
        assertTrue(run.out().contains("Written 1, unchanged 0, refused 8"), run.out());
        assertEquals("ann", user("1", "8201").get("UserName").s());

        Path jsonl = Files.writeString(dir.resolve("users.jsonl"), """
                {"DomainId": 1, "UserID": 8301, "UserName": "ann"} {"DomainId": 1, "UserID": 8302, "UserName": "bob"}
                {"DomainId": 1, "UserID": 8303, "UserName": "cat", "UserName": "dog"}
                {"DomainId": 1, "UserID": 8304, "UserName": "eve"}
                """);
        Operator.Run json = admin("user", "import", "--org", org, "--jsonl", jsonl.toString());
        assertEquals(1, json.status(), json.out() + json.err());
        assertEquals(List.of("line 1", "line 2"), json.out().lines().filter(l -> l.startsWith("line "))
                .map(l -> l.replaceAll(":.*", "")).toList(), json.out());
        assertTrue(user("1", "8301").isEmpty() && user("1", "8303").isEmpty(), "neither is half read");

        Path latin1 = Files.write(dir.resolve("latin1.csv"), (HEADER + "1,8401,ann,,,,\n1,8402,Jos\u00e9,,,,\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Operator.Run wrong = admin("user", "import", "--org", org, "--csv", latin1.toString());
        assertEquals(2, wrong.status(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("line 3: not UTF-8"), wrong.err());
        assertTrue(user("1", "8401").isEmpty(), "nothing written");
    }

    /** Finding 9: an item without UserName (written behind the tool's back) exports; it does not crash it. */
    @Test
    void aJsonLinesExportTakesAnItemWithoutAName() throws IOException {
        data.dynamo().putItem(r -> r.tableName(AwsLocalResource.USERS).item(Map.of("DomainId", s(org + "#1"),
                "UserID", s("8501"), "Mobile", s("+16502530001"))));
        Path jsonl = dir.resolve("users.jsonl");
        Operator.Run export = admin("user", "export", "--org", org, "--jsonl", jsonl.toString());
        assertEquals(0, export.status(), export.err());
        assertEquals("{\"DomainId\":\"1\",\"UserID\":\"8501\",\"Mobile\":\"+16502530001\"}", Files.readString(jsonl).trim());
    }

    /** Finding 10: the export is its owner's only, and an existing file is kept unless --force. */
    @Test
    void anExportIsOwnerOnlyAndOverwritesOnlyWithForce() throws IOException {
        put("ann", "1", "8601", "+16502530001", null);
        Path csv = dir.resolve("users.csv");
        assertEquals(0, admin("user", "export", "--org", org, "--csv", csv.toString()).status());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)));

        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
        for (Path existing : List.of(csv, link)) {
            Operator.Run again = admin("user", "export", "--org", org, "--csv", existing.toString());
            assertEquals(1, again.status(), again.out());
            assertTrue(again.err().contains("already exists: --force replaces it"), again.err());
        }
        assertEquals("keep me", Files.readString(target), "a link is not followed");
        Operator.Run forced = admin("user", "export", "--org", org, "--csv", link.toString(), "--force");
        assertEquals(0, forced.status(), forced.err());
        assertEquals("keep me", Files.readString(target), "the link is replaced, not its target");
        assertTrue(Files.readString(link).contains("8601"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(link)));
    }

    void put(String name, String domain, String userId, String mobile, String email) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("DomainId", s(org + "#" + domain),
                "UserID", s(userId), "UserName", s(name)));
        if (mobile != null) {
            item.put("Mobile", s(mobile));
        }
        if (email != null) {
            item.put("Email", s(email));
        }
        data.dynamo().putItem(r -> r.tableName(AwsLocalResource.USERS).item(item));
    }

    Map<String, AttributeValue> user(String domain, String userId) {
        Map<String, AttributeValue> item = data.dynamo().getItem(r -> r.tableName(AwsLocalResource.USERS)
                .key(Map.of("DomainId", s(org + "#" + domain), "UserID", s(userId))).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    Operator.Run admin(String... args) {
        return Operator.run(data.dynamo(), "", args);
    }
}
