package dev.otpgate.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.OrgAttr;
import dev.otpgate.dynamo.UserHolds;
import dev.otpgate.dynamo.UserLimitKeys;
import dev.otpgate.otp.Masking;
import dev.otpgate.otp.OrgKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code user ...}: the directory of an organisation's users, one at a time or a file at once (docs/admin.md). */
@Command(name = "user", description = "An organisation's directory users: one at a time, or a file at once.",
        synopsisSubcommandLabel = "VERB", footer = { "", Admin.TABLES, Admin.IDS })
final class UserVerbs {

    private final Admin admin;

    UserVerbs(Admin admin) {
        this.admin = admin;
    }

    /** Exactly one of --csv FILE and --jsonl FILE. */
    static final class FileOption {
        @Option(names = "--csv", required = true, paramLabel = "FILE",
                description = "CSV, header DomainId,UserID,UserName,Mobile,Email,Prefer,Locale")
        Path csv;

        @Option(names = "--jsonl", required = true, paramLabel = "FILE",
                description = "JSON Lines, one object a line with the same names")
        Path jsonl;

        Path path() {
            return csv != null ? csv : jsonl;
        }

        UserFile.Format format() {
            return csv != null ? UserFile.Format.CSV : UserFile.Format.JSONL;
        }
    }

    @Command(name = "put", description = "Adds or changes one user; an option not given keeps what is stored, \"\" removes it.")
    int put(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @Option(names = "--domain", required = true, paramLabel = "D", description = Admin.DOMAIN) String domain,
            @Option(names = "--user", required = true, paramLabel = "U", description = Admin.USER) String user,
            @Option(names = "--name", paramLabel = "NAME", description = "The user's name (UserName); needed for a new user.") String name,
            @Option(names = "--mobile", paramLabel = "+E164|\"\"", description = "The mobile number in E.164, such as +14155550142.") String mobile,
            @Option(names = "--email", paramLabel = "ADDR|\"\"", description = "The e-mail address.") String email,
            @Option(names = "--prefer", paramLabel = "SMS|VOICE|EMAIL|\"\"", description = "The channel the user prefers.") String prefer,
            @Option(names = "--locale", paramLabel = "de-DE|\"\"", description = "The language of the user's texts (BCP 47).") String locale) {
        Admin.id("--org", org);
        String domainKey = admin.orgKeys().scoped(org, domain);
        String checkedName = name;
        if (name == null) { // a change of the user's other fields keeps the stored name
            checkedName = userData().user(domainKey, user).map(u -> Attr.string(u, Attr.USER_NAME)).orElseThrow(() ->
                    new IllegalArgumentException("User " + domain + "/" + user + " of organisation " + org
                            + " is not in the directory: a new user needs --name"));
        }
        new DirectoryUser(domain, user, checkedName, mobile, email, prefer, locale).problem(o -> "--" + o).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        admin.callerWrites().putUser(domainKey, user, name, mobile, email, prefer, locale);
        admin.out.println("User " + domain + "/" + user + " of organisation " + org + " saved");
        return 0;
    }

    @Command(name = "import", description = "Stores the good rows of a file, lists the refused ones (line: reason).",
            footer = { "", "A row replaces the user's fields (an empty one removes it); re-running the same file changes "
                    + "nothing. Progress on standard error; exit status 1 if any row was refused.", Admin.TABLES })
    int importFile(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @ArgGroup(exclusive = true, multiplicity = "1") FileOption file,
            @Option(names = "--dry-run", description = "Check and compare, write nothing.") boolean dryRun,
            @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
                    description = "Batch calls in flight (1-32; default 8).") int threads,
            @Option(names = "--progress-every", defaultValue = "PT5S", paramLabel = "PT5S",
                    description = "A progress line on standard error this often (default PT5S).") Duration every)
            throws IOException, InterruptedException {
        Admin.id("--org", org);
        if (threads < 1 || threads > 32) {
            throw new IllegalArgumentException("--threads must be 1 to 32");
        }
        long total;
        try (UserFile.Rows rows = UserFile.read(file.path(), file.format())) {
            total = count(rows);
        } catch (IOException | UncheckedIOException e) {
            return unreadable(file, e);
        }
        UserImport.Counts counts;
        try (UserFile.Rows rows = UserFile.read(file.path(), file.format())) {
            counts = new UserImport(admin.dynamo(), admin.usersTable, admin.orgKeys(), org, threads, admin.out, admin.err,
                    every.isNegative() || every.isZero() ? Duration.ofSeconds(5) : every).run(rows, total, dryRun);
        } catch (UncheckedIOException e) {
            return unreadable(file, e);
        }
        admin.out.println((dryRun ? "Dry run, nothing written: would write " : "Written ") + counts.written()
                + ", unchanged " + counts.unchanged() + ", refused " + counts.refused());
        return counts.refused() == 0 ? 0 : 1;
    }

    @Command(name = "export", description = "Writes every user of the organisation, in the import's format, to a new file "
            + "only its owner can read; a CSV cell that a spreadsheet would run as a formula starts with ' (the import takes it off).")
    int export(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org,
            @ArgGroup(exclusive = true, multiplicity = "1") FileOption file,
            @Option(names = "--force", description = "Replace FILE if it exists (a link is replaced, not followed).")
            boolean force) throws IOException {
        Admin.id("--org", org);
        OrgKeys keys = admin.orgKeys();
        boolean legacy = keys.legacyOrg().equals(org);
        String prefix = keys.scoped(org, "");
        long[] count = { 0 };
        UserFile.Writer opened;
        try {
            opened = UserFile.write(file.path(), file.format(), force);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            admin.err.println(e.getFile());
            return 1;
        }
        try (UserFile.Writer out = opened) {
            // An organisation's domains are "OrgID#DomainId"; the legacy organisation's have no '#' (OrgKeys).
            admin.dynamo().scanPaginator(r -> r.tableName(admin.usersTable)
                    .filterExpression(legacy ? "NOT contains(#d, :p)" : "begins_with(#d, :p)")
                    .expressionAttributeNames(Map.of("#d", Attr.DOMAIN_ID))
                    .expressionAttributeValues(Map.of(":p", Attr.s(legacy ? "#" : prefix)))).items().forEach(item -> {
                        String domainKey = Attr.string(item, Attr.DOMAIN_ID);
                        try {
                            out.write(DirectoryUser.of(domainKey.substring(prefix.length()), item));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        count[0]++;
                    });
        }
        admin.out.println(count[0] + " users of organisation " + org + " written to " + file.path());
        return 0;
    }

    @Command(name = "show", description = "The user, number and address masked, and whether a limit holds them.")
    int show(@Mixin UserKey key) {
        String org = key.org;
        String domain = key.domain;
        String user = key.user;
        String domainKey = key.domainKey(admin.orgKeys());
        UserData data = userData();
        var item = data.user(domainKey, user);
        if (item.isEmpty()) {
            admin.err.println("No such user");
            return 1;
        }
        Map<String, AttributeValue> u = item.get();
        var out = admin.out;
        out.println("User " + domain + "/" + user + " of organisation " + org);
        // what the table holds may have been written by anything: no terminal escape reaches the screen
        out.println("  name: " + printable(Attr.string(u, Attr.USER_NAME)));
        out.println("  mobile: " + (u.containsKey(Attr.MOBILE) ? printable(Masking.phone(Attr.string(u, Attr.MOBILE))) : "none"));
        out.println("  email: " + (u.containsKey(Attr.EMAIL) ? printable(Masking.email(Attr.string(u, Attr.EMAIL))) : "none"));
        out.println("  prefer: " + (u.containsKey(Attr.PREFER) ? printable(Attr.string(u, Attr.PREFER)) : "none"));
        out.println("  locale: " + (u.containsKey(Attr.LOCALE) ? printable(Attr.string(u, Attr.LOCALE)) : "none"));
        long now = admin.clock.instant().getEpochSecond();
        // the last delivery event of the user's last send (End User Messaging only; docs/delivery.md "Delivery events"),
        // kept in otp-limits, which is regional: this region's sends only
        Optional<Map<String, AttributeValue>> last = data.limit(UserLimitKeys.lastSend(domainKey, user))
                .filter(i -> Attr.number(i, Attr.EXPIRES_AT) > now);
        out.println("  last send in this region: " + last.map(l -> Attr.string(l, Attr.LAST_SEND_OUTCOME) + " at "
                + Instant.ofEpochMilli(Attr.number(l, Attr.LAST_SEND_OUTCOME_AT)) + " (sent "
                + Instant.ofEpochSecond(Attr.number(l, Attr.LAST_SEND_AT)) + ", transaction "
                + printable(Attr.string(l, Attr.LAST_SEND)) + ")").orElse("no delivery event"));
        long hour = now / 3600;
        long perHour = orgLimit(org, OrgAttr.FAILED_GUESSES_PER_HOUR, "OTP_LIMITS_FAILED_GUESSES_PER_HOUR", 20);
        long guesses = data.limit(UserLimitKeys.failedGuesses(domainKey, user, hour))
                .map(i -> Attr.number(i, Attr.COUNT)).orElse(0L);
        out.println("  wrong guesses this hour: " + guesses + " of " + perHour
                + (guesses >= perHour ? ": HELD until " + Instant.ofEpochSecond((hour + 1) * 3600) + " (no new codes, no checks)" : ""));
        long cap = env("OTP_LIMITS_CONSECUTIVE_FAILURES", 100);
        long consecutive = data.limit(UserLimitKeys.consecutiveFailures(domainKey, user))
                .filter(i -> Attr.number(i, Attr.EXPIRES_AT) > now).map(i -> Attr.number(i, Attr.COUNT)).orElse(0L);
        out.println("  consecutive wrong guesses: " + consecutive + " of " + cap
                + (consecutive >= cap ? ": HELD by the failure cap until an operator clears it" : ""));
        holds().hold(org, domain, user, admin.clock.instant()).ifPresent(h -> out.println("  hold: " + h.reason()
                + " until " + h.until() + " (no new codes, no checks; `user unlock` lifts it)"));
        return 0;
    }

    @Command(name = "unlock", description = "Clears the user's consecutive wrong OTPs, the wait or cap they set, and this hour's failed guesses.")
    int unlock(@Mixin UserKey key) {
        key.domainKey(admin.orgKeys());
        boolean cleared = holds().unlock(key.org, key.domain, key.user, admin.clock.instant());
        admin.out.println("User " + key.domain + "/" + key.user + " of organisation " + key.org + " unlocked"
                + (cleared ? ": its wrong OTPs forgotten" : " (it had no wrong OTPs counted)"));
        return 0;
    }

    private UserHolds holds() {
        return new UserHolds(admin.dynamo(), admin.limitsTable, admin.usersTable, admin.orgKeys());
    }

    @Command(name = "remove", description = "Erases the user: directory item, codes (one sent before no longer validates), limit items.")
    int remove(@Mixin UserKey key) {
        UserData.Erased erased = userData().erase(key.org, admin.orgKeys().legacyOrg().equals(key.org), key.domain,
                key.domainKey(admin.orgKeys()), key.user);
        String what = erased.transactions() + " transactions, " + erased.limitItems() + " limit items, "
                + erased.callersRemoved().size() + " own callers removed" + names(erased.callersRemoved()) + ", "
                + erased.callersUnlinked().size() + " unlinked" + names(erased.callersUnlinked());
        if (!erased.user()) { // the directory item goes last: a removal cut short still finds it when run again
            admin.err.println("No such user" + (what.matches("0 transactions, 0 limit items, 0 own callers removed, 0 unlinked")
                    ? "" : " in the directory; erased what still named them: " + what));
            return 1;
        }
        admin.out.println("User " + key.domain + "/" + key.user + " of organisation " + key.org
                + " removed: directory item, " + what);
        return 0;
    }

    /** --org, --domain and --user: one user of one organisation. */
    static final class UserKey {
        @Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG)
        String org;

        @Option(names = "--domain", required = true, paramLabel = "D", description = Admin.DOMAIN)
        String domain;

        @Option(names = "--user", required = true, paramLabel = "U", description = Admin.USER)
        String user;

        /** The domain as the organisation keys it, once every id is checked. */
        String domainKey(OrgKeys keys) {
            Admin.id("--org", org);
            Admin.id("--domain", domain);
            Admin.id("--user", user);
            return keys.scoped(org, domain);
        }
    }

    private UserData userData() {
        return new UserData(admin.dynamo(), admin.usersTable, admin.transactionsTable, admin.limitsTable,
                admin.callersTable, admin.callerWrites());
    }

    private static String names(java.util.List<String> callers) {
        return callers.isEmpty() ? "" : " (" + String.join(", ", callers) + ")";
    }

    /** The organisation's own value of a limit, else the deployment's (its environment, as org put's bounds). */
    private long orgLimit(String org, String attribute, String variable, long fallback) {
        Map<String, AttributeValue> item = admin.dynamo().getItem(r -> r.tableName(admin.orgsTable)
                .key(Map.of(Attr.ORG_ID, Attr.s(org)))).item();
        return item != null && item.containsKey(attribute) ? Attr.number(item, attribute) : env(variable, fallback);
    }

    /** A control or format character (ESC, a line break, a bidirectional override) as \\uXXXX. */
    static String printable(String text) {
        if (text == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    private static long env(String variable, long fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    private static long count(UserFile.Rows rows) {
        long n = 0;
        for (; rows.hasNext(); rows.next()) {
            n++;
        }
        return n;
    }

    private int unreadable(FileOption file, Exception e) {
        admin.err.println(file.path() + ": " + (e.getCause() != null && e instanceof UncheckedIOException
                ? e.getCause().getMessage() : e.getMessage()));
        return 2;
    }
}
