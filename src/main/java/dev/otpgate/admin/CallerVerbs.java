package dev.otpgate.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.DynamoCallerStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code caller ...}: a caller's password, grants, lock and TokenIDs (docs/admin.md). */
@Command(name = "caller", description = "A caller's password, grants, lock and TokenIDs.", synopsisSubcommandLabel = "VERB",
        footer = { "", Admin.TABLES, Admin.IDS, Admin.PASSWORDS })
final class CallerVerbs {

    private static final int MIN_PASSWORD_LENGTH = 8;

    private final Admin admin;

    CallerVerbs(Admin admin) {
        this.admin = admin;
    }

    @Command(name = "put", description = "Adds or changes a caller; an option not given keeps what is stored.")
    int put(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name,
            @Option(names = "--password-stdin", description = "Set the password: from the console, or one line of standard input.")
            boolean passwordStdin,
            @Option(names = "--self", paramLabel = "D/U|none", description = "The directory user the caller is.") String self,
            @Option(names = "--generate-for", paramLabel = "D1,D2|none",
                    description = "Domains whose users it may generate codes for.") String domains,
            @Option(names = "--password", hidden = true) String password) {
        if (password != null) {
            throw new IllegalArgumentException("Passwords are never taken on the command line: use --password-stdin");
        }
        String selfDomain = null;
        String selfUser = null;
        if (self != null) {
            if (self.equals("none")) {
                selfDomain = "";
                selfUser = "";
            } else {
                String[] du = self.split("/", 2);
                if (du.length != 2 || du[0].isBlank() || du[1].isBlank()) {
                    throw new IllegalArgumentException("--self is DomainId/UserID, such as 1/967, or none");
                }
                selfDomain = du[0];
                selfUser = du[1];
            }
        }
        Set<String> generateFor = null;
        if (domains != null) {
            generateFor = domains.equals("none") ? Set.of()
                    : new LinkedHashSet<>(Arrays.stream(domains.split(",")).map(String::trim)
                            .filter(d -> !d.isEmpty()).toList());
        }
        String hash = null;
        if (passwordStdin) {
            String typed = readPassword();
            if (typed == null) {
                admin.err.println("No password given");
                return 1;
            }
            if (typed.length() < MIN_PASSWORD_LENGTH) {
                admin.err.println("The password must have at least " + MIN_PASSWORD_LENGTH + " characters");
                return 1;
            }
            hash = new PasswordHasher().hash(typed);
        }
        admin.callerWrites().putCaller(org, name, hash, selfDomain, selfUser, generateFor);
        admin.out.println("Caller " + org + "/" + name + " saved" + (hash == null ? "" : ", password set (Argon2id)"));
        return 0;
    }

    @Command(name = "show", description = "The caller, without its hash or keys.")
    int show(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name) {
        var item = admin.callerWrites().caller(org, name);
        if (item.isEmpty()) {
            admin.err.println("No such caller");
            return 1;
        }
        Map<String, AttributeValue> c = item.get();
        var out = admin.out;
        out.println("Caller " + Attr.string(c, Attr.ORG_ID) + "/" + Attr.string(c, Attr.USER_NAME));
        out.println("  password: " + (c.containsKey(Attr.PASSWORD_HASH) ? "set" : "none"));
        if (c.containsKey(Attr.LOCKED) && Boolean.TRUE.equals(c.get(Attr.LOCKED).bool())) {
            out.println("  locked by an operator (caller unlock lifts it)");
        }
        Map<String, AttributeValue> ceiling = admin.dynamo().getItem(r -> r.tableName(admin.limitsTable)
                .key(DynamoCallerStore.ceilingKey(org, name)).consistentRead(true)).item();
        if (ceiling != null && Attr.number(ceiling, Attr.FAIL_WINDOW_ENDS_AT) > admin.clock.instant().getEpochSecond()) {
            // the ceiling is regional (limits table): this region's count
            out.println("  wrong passwords (all sources): " + Attr.number(ceiling, Attr.FAILURES)
                    + " in the window ending " + Instant.ofEpochSecond(Attr.number(ceiling, Attr.FAIL_WINDOW_ENDS_AT))
                    + " (this region)");
        }
        if (c.containsKey(Attr.TOKENS_NOT_BEFORE)) {
            out.println("  TokenIDs issued until " + Instant.ofEpochMilli(Attr.number(c, Attr.TOKENS_NOT_BEFORE))
                    + " are refused");
        }
        out.println("  self: " + (c.containsKey(Attr.DOMAIN_ID)
                ? Attr.string(c, Attr.DOMAIN_ID) + "/" + Attr.string(c, Attr.USER_ID) : "none"));
        AttributeValue domains = c.get(Attr.GENERATE_FOR);
        out.println("  generate for others in domains: "
                + (domains != null && domains.hasSs() ? String.join(",", domains.ss()) : "none"));
        AttributeValue keys = c.get(Attr.API_KEYS);
        Map<String, AttributeValue> sorted = new TreeMap<>(keys != null && keys.hasM() ? keys.m() : Map.of());
        sorted.forEach((id, k) -> out.println("  key " + id + ": expires "
                + Instant.ofEpochSecond(Attr.number(k.m(), Attr.EXPIRES_AT))
                + (Boolean.TRUE.equals(k.m().getOrDefault(Attr.REVOKED, AttributeValue.fromBool(false)).bool()) ? ", revoked" : "")));
        return 0;
    }

    @Command(name = "remove", description = "Removes the caller; its TokenIDs are refused.")
    int remove(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name) {
        return admin.done(admin.callerWrites().removeCaller(org, name), "Caller removed", "No such caller");
    }

    @Command(name = "lock", description = "Refuses FORM and APIKEY, ends its TokenIDs within 60 s.")
    int lock(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name) {
        return admin.done(admin.callerWrites().lock(org, name),
                "Caller locked: FORM and APIKEY refused, its TokenIDs end within 60 s", "No such caller");
    }

    /** The operator lock, the ceiling's count and every source's back-off: all of it, at once. */
    @Command(name = "unlock", description = "Lifts the lock, forgets the wrong passwords counted (the ceiling and every source's back-off).")
    int unlock(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name) {
        if (!admin.callerWrites().unlock(org, name)) {
            admin.err.println("No such caller");
            return 1;
        }
        int sources = new SourceRecords(admin.dynamo(), admin.limitsTable).forget(org, name);
        admin.out.println("Caller unlocked, its wrong passwords forgotten in this region (" + sources + " records)");
        return 0;
    }

    @Command(name = "revoke-tokens", description = "Ends its TokenIDs within 60 s.")
    int revokeTokens(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name) {
        return admin.done(admin.callerWrites().revokeTokens(org, name), "The caller's TokenIDs end within 60 s",
                "No such caller");
    }

    private String readPassword() {
        if (admin.console != null) {
            char[] first = admin.console.readPassword("Password: ");
            char[] again = admin.console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                admin.err.println("The passwords differ");
                return null;
            }
            return new String(first);
        }
        try {
            String line = admin.in.readLine();
            return line == null || line.isEmpty() ? null : line;
        } catch (IOException e) {
            return null;
        }
    }
}
