package dev.otpgate.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.otpgate.auth.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code key ...}: a caller's API keys, stored as hashes; a new key is printed once. */
@Command(name = "key", description = "A caller's API keys (stored as hashes; a new key is printed once).",
        synopsisSubcommandLabel = "VERB", footer = { "", Admin.TABLES, Admin.IDS })
final class KeyVerbs {

    private static final int MAX_KEY_DAYS = 730;

    private final Admin admin;

    KeyVerbs(Admin admin) {
        this.admin = admin;
    }

    @Command(name = "add", description = "Prints the new key, once.")
    int add(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name,
            @Option(names = "--days", defaultValue = "90", paramLabel = "N", description = "Valid for N days (1-730; default 90).") int days) {
        Instant now = admin.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(days(days));
        ApiKeys.Issued key = new ApiKeys().issue(org, name);
        if (!admin.callerWrites().addKey(org, name, key.keyId(), key.sha256(), expires, now)) {
            admin.err.println("No such caller: create it first with caller put");
            return 1;
        }
        return shown(org, name, key, expires);
    }

    @Command(name = "rotate", description = "A new key (printed once); K revoked.")
    int rotate(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name,
            @Option(names = "--key-id", required = true, paramLabel = "K", description = "The key's id (caller show lists them).") String old,
            @Option(names = "--days", defaultValue = "90", paramLabel = "N", description = "Valid for N days (1-730; default 90).") int days) {
        Instant now = admin.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(days(days));
        ApiKeys.Issued key = new ApiKeys().issue(org, name);
        if (!admin.callerWrites().rotateKey(org, name, old, key.keyId(), key.sha256(), expires, now)) {
            admin.err.println("No such caller or key");
            return 1;
        }
        admin.err.println("Key " + old + " revoked");
        return shown(org, name, key, expires);
    }

    @Command(name = "revoke", description = "Revokes key K.")
    int revoke(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = Admin.CALLER) String name,
            @Option(names = "--key-id", required = true, paramLabel = "K", description = "The key's id (caller show lists them).") String keyId) {
        return admin.done(admin.callerWrites().revokeKey(org, name, keyId), "Key " + keyId + " revoked",
                "No such caller or key");
    }

    /** The only place a secret is printed: the key just made, alone on standard output, for a script to capture. */
    private int shown(String org, String name, ApiKeys.Issued key, Instant expires) {
        admin.err.println("New API key " + key.keyId() + " for " + org + "/" + name + ", expires " + expires
                + ". It is shown only now and stored only as a hash:");
        admin.out.println(key.key());
        return 0;
    }

    private static Duration days(int days) {
        if (days < 1 || days > MAX_KEY_DAYS) {
            throw new IllegalArgumentException("--days must be 1 to " + MAX_KEY_DAYS);
        }
        return Duration.ofDays(days);
    }
}
