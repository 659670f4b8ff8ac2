package dev.otpgate.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.UserHolds;
import dev.otpgate.otp.OrgKeys;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The operators' tool for the deployed tables (docs/admin.md):
 * {@code ./mvnw -q compile exec:java -Dexec.args="caller put --org 1 --name svc --password-stdin"}.
 * AWS credentials and region come from the usual AWS environment (AWS_PROFILE, AWS_REGION). It
 * stores only hashes, reads passwords from the console or standard input (never from the command
 * line, which other users of the machine can see), and prints a secret only when it has just made
 * it: a new API key, once. Left out of function.zip.
 */
public final class Admin {

    static final String USAGE = """
            Usage: Admin COMMAND [--option value ...]
              user put      --org O --domain D --user U --name NAME [--mobile +E164|""] [--email ADDR|""]
                            [--prefer SMS|EMAIL|""] [--locale de-DE|""]
              user unlock   --org O --domain D --user U   clears the user's consecutive wrong OTPs, the wait
                                                         or cap they set, and this hour's failed guesses
              org put       --org O [--channel SMS|EMAIL] [--channels SMS,EMAIL] [--fallback true|false]
                            [--code-length 6-10] [--validity PT5M] [--max-attempts N] [--failed-guesses-per-hour N]
                            [--send-cooldown PT30S] [--sends-per-window N] [--send-window PT15M]
                            [--sms-countries US,CA] [--sms-sender-id ID] [--sms-origination-number +E164]
                            [--email-sender ADDR] [--default-locale de] ("" unsets: the deployment's value)
                            [--sms-budget-per-day N] [--email-budget-per-day N]  (below the deployment's budgets)
                            [--locale TAG --sms TEXT --email-subject TEXT --email-body TEXT]  (%1$s code, %2$d minutes)
              org show      --org O
              caller put    --org O --name NAME [--password-stdin] [--self D/U|none] [--generate-for D1,D2|none]
              caller show   --org O --name NAME
              caller remove --org O --name NAME
              caller lock   --org O --name NAME          refuses FORM and APIKEY, ends its TokenIDs within 60 s
              caller unlock --org O --name NAME          lifts the lock, forgets the wrong passwords counted
                                                         (the ceiling and every source's back-off)
              caller revoke-tokens --org O --name NAME   ends its TokenIDs within 60 s
              key add       --org O --name NAME [--days 90]           prints the new key, once
              key rotate    --org O --name NAME --key-id K [--days 90] new key (printed once), K revoked
              key revoke    --org O --name NAME --key-id K
            Tables: --callers-table (default $OTP_TABLES_CALLERS or otp-callers),
                    --users-table (default $OTP_TABLES_USERS or otp-users), --orgs-table (default $OTP_TABLES_ORGS
                    or otp-orgs), --limits-table (default $OTP_TABLES_LIMITS or otp-limits);
                    --endpoint URL for DynamoDB Local. Ids are letters, digits and . _ @ : -
            --password-stdin reads the password from the console without echo, or one line of standard input.""";

    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_KEY_DAYS = 730;

    private final DynamoDbClient dynamo;
    private final Console console;
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public Admin(DynamoDbClient dynamo, Console console, BufferedReader in, PrintStream out, PrintStream err,
            Clock clock) {
        this.dynamo = dynamo;
        this.console = console;
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        try {
            String endpoint = options(args).get("endpoint");
            if (endpoint != null) {
                builder.endpointOverride(URI.create(endpoint));
            }
        } catch (IllegalArgumentException e) {
            // run() explains what is wrong with the arguments
        }
        int status;
        try (DynamoDbClient dynamo = builder.build()) {
            status = new Admin(dynamo, System.console(),
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out,
                    System.err, Clock.systemUTC()).run(args);
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; 0 when done, 1 when it could not be done, 2 when it was not understood. */
    public int run(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(help(args.length > 0 && !args[0].startsWith("-") ? args[0] : null));
            return 0;
        }
        Map<String, String> o;
        try {
            o = options(args);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (args.length < 2) {
            return usage("A command is two words, such as: caller put");
        }
        CallerWrites writes = new CallerWrites(dynamo,
                o.getOrDefault("callers-table", env("OTP_TABLES_CALLERS", "otp-callers")),
                o.getOrDefault("users-table", env("OTP_TABLES_USERS", "otp-users")), clock);
        try {
            OrgCommands orgs = new OrgCommands(dynamo, o.getOrDefault("orgs-table", env("OTP_TABLES_ORGS", "otp-orgs")),
                    OrgCommands.boundsFromEnvironment(System.getenv()), out);
            return switch (args[0] + " " + args[1]) {
                case "user put" -> userPut(writes, o);
                case "user unlock" -> userUnlock(o);
                case "org put" -> orgs.put(need(o, "org"), o);
                case "org show" -> orgs.show(need(o, "org"));
                case "caller put" -> callerPut(writes, o);
                case "caller show" -> callerShow(writes, o);
                case "caller remove" -> done(writes.removeCaller(need(o, "org"), need(o, "name")),
                        "Caller removed", "No such caller");
                case "caller lock" -> done(writes.lock(need(o, "org"), need(o, "name")),
                        "Caller locked: FORM and APIKEY refused, its TokenIDs end within 60 s", "No such caller");
                case "caller unlock" -> callerUnlock(writes, o);
                case "caller revoke-tokens" -> done(writes.revokeTokens(need(o, "org"), need(o, "name")),
                        "The caller's TokenIDs end within 60 s", "No such caller");
                case "key add" -> keyAdd(writes, o);
                case "key rotate" -> keyRotate(writes, o);
                case "key revoke" -> done(writes.revokeKey(need(o, "org"), need(o, "name"), need(o, "key-id")),
                        "Key " + o.get("key-id") + " revoked", "No such caller or key");
                default -> usage("Unknown command: " + args[0] + " " + args[1]);
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
    }

    private int userPut(CallerWrites writes, Map<String, String> o) {
        String mobile = o.get("mobile");
        if (mobile != null && !mobile.isEmpty() && !mobile.matches("\\+[1-9]\\d{6,14}")) {
            throw new IllegalArgumentException("--mobile must be in E.164 form, such as +14155550142");
        }
        String email = o.get("email");
        if (email != null && !email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("--email must be an e-mail address");
        }
        String prefer = o.get("prefer");
        if (prefer != null && !prefer.isEmpty() && !prefer.equals("SMS") && !prefer.equals("EMAIL")) {
            throw new IllegalArgumentException("--prefer must be SMS or EMAIL");
        }
        String locale = o.get("locale");
        if (locale != null && !locale.isEmpty() && !locale.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")) {
            throw new IllegalArgumentException("--locale must be a BCP 47 tag, such as de-DE");
        }
        String org = id(o, "org");
        writes.putUser(new OrgKeys(env("OTP_TENANCY_LEGACY_ORG", OrgKeys.DEFAULT_LEGACY_ORG)).scoped(org, id(o, "domain")),
                id(o, "user"), need(o, "name"), mobile, email, prefer, locale);
        out.println("User " + o.get("domain") + "/" + o.get("user") + " of organisation " + org + " saved");
        return 0;
    }

    /** A user under attack by guessing (dynamo/UserHolds): the wait or the cap, and the count that set it. */
    private int userUnlock(Map<String, String> o) {
        String org = id(o, "org");
        String domain = id(o, "domain");
        String user = id(o, "user");
        boolean cleared = new UserHolds(dynamo, o.getOrDefault("limits-table", env("OTP_TABLES_LIMITS", "otp-limits")),
                new OrgKeys(env("OTP_TENANCY_LEGACY_ORG", OrgKeys.DEFAULT_LEGACY_ORG)))
                .unlock(org, domain, user, clock.instant());
        out.println("User " + domain + "/" + user + " of organisation " + org + " unlocked"
                + (cleared ? ": its wrong OTPs forgotten" : " (it had no wrong OTPs counted)"));
        return 0;
    }

    private int callerPut(CallerWrites writes, Map<String, String> o) {
        String org = need(o, "org");
        String name = need(o, "name");
        String selfDomain = null;
        String selfUser = null;
        if (o.containsKey("self")) {
            String self = o.get("self");
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
        if (o.containsKey("generate-for")) {
            String domains = o.get("generate-for");
            generateFor = domains.equals("none") ? Set.of()
                    : new LinkedHashSet<>(Arrays.stream(domains.split(",")).map(String::trim)
                            .filter(d -> !d.isEmpty()).toList());
        }
        String hash = null;
        if (o.containsKey("password-stdin")) {
            String password = readPassword();
            if (password == null) {
                err.println("No password given");
                return 1;
            }
            if (password.length() < MIN_PASSWORD_LENGTH) {
                err.println("The password must have at least " + MIN_PASSWORD_LENGTH + " characters");
                return 1;
            }
            hash = new PasswordHasher().hash(password);
        }
        writes.putCaller(org, name, hash, selfDomain, selfUser, generateFor);
        out.println("Caller " + org + "/" + name + " saved" + (hash == null ? "" : ", password set (Argon2id)"));
        return 0;
    }

    /** The operator lock, the ceiling's count and every source's back-off: all of it, at once. */
    private int callerUnlock(CallerWrites writes, Map<String, String> o) {
        String org = need(o, "org");
        String name = need(o, "name");
        if (!writes.unlock(org, name)) {
            err.println("No such caller");
            return 1;
        }
        int sources = new SourceRecords(dynamo, o.getOrDefault("limits-table", env("OTP_TABLES_LIMITS", "otp-limits")))
                .forget(org, name);
        out.println("Caller unlocked, its wrong passwords forgotten (" + sources + " source records)");
        return 0;
    }

    private int callerShow(CallerWrites writes, Map<String, String> o) {
        var item = writes.caller(need(o, "org"), need(o, "name"));
        if (item.isEmpty()) {
            err.println("No such caller");
            return 1;
        }
        Map<String, AttributeValue> c = item.get();
        out.println("Caller " + Attr.string(c, Attr.ORG_ID) + "/" + Attr.string(c, Attr.USER_NAME));
        out.println("  password: " + (c.containsKey(Attr.PASSWORD_HASH) ? "set" : "none"));
        if (c.containsKey(Attr.LOCKED) && Boolean.TRUE.equals(c.get(Attr.LOCKED).bool())) {
            out.println("  locked by an operator (caller unlock lifts it)");
        }
        if (c.containsKey(Attr.FAILURES)) {
            out.println("  wrong passwords (all sources): " + Attr.number(c, Attr.FAILURES) + (c.containsKey(Attr.FAIL_WINDOW_ENDS_AT)
                    ? " in the window ending " + Instant.ofEpochSecond(Attr.number(c, Attr.FAIL_WINDOW_ENDS_AT))
                    : " (old format: the window has ended)"));
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

    private int keyAdd(CallerWrites writes, Map<String, String> o) {
        String org = need(o, "org");
        String name = need(o, "name");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(days(o));
        ApiKeys.Issued key = new ApiKeys().issue(org, name);
        if (!writes.addKey(org, name, key.keyId(), key.sha256(), expires, now)) {
            err.println("No such caller: create it first with caller put");
            return 1;
        }
        return shown(org, name, key, expires);
    }

    private int keyRotate(CallerWrites writes, Map<String, String> o) {
        String org = need(o, "org");
        String name = need(o, "name");
        String old = need(o, "key-id");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(days(o));
        ApiKeys.Issued key = new ApiKeys().issue(org, name);
        if (!writes.rotateKey(org, name, old, key.keyId(), key.sha256(), expires, now)) {
            err.println("No such caller or key");
            return 1;
        }
        err.println("Key " + old + " revoked");
        return shown(org, name, key, expires);
    }

    /** The only place a secret is printed: the key just made, alone on standard output, for a script to capture. */
    private int shown(String org, String name, ApiKeys.Issued key, Instant expires) {
        err.println("New API key " + key.keyId() + " for " + org + "/" + name + ", expires " + expires
                + ". It is shown only now and stored only as a hash:");
        out.println(key.key());
        return 0;
    }

    private String readPassword() {
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                err.println("The passwords differ");
                return null;
            }
            return new String(first);
        }
        try {
            String line = in.readLine();
            return line == null || line.isEmpty() ? null : line;
        } catch (IOException e) {
            return null;
        }
    }

    private static Duration days(Map<String, String> o) {
        int days;
        try {
            days = Integer.parseInt(o.getOrDefault("days", "90"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--days must be a number");
        }
        if (days < 1 || days > MAX_KEY_DAYS) {
            throw new IllegalArgumentException("--days must be 1 to " + MAX_KEY_DAYS);
        }
        return Duration.ofDays(days);
    }

    private int done(boolean ok, String success, String failure) {
        (ok ? out : err).println(ok ? success : failure);
        return ok ? 0 : 1;
    }

    /** The usage lines of one noun ("caller"), with what follows them; all of it when the noun is unknown or null. */
    static String help(String noun) {
        List<String> lines = USAGE.lines().toList();
        StringBuilder own = new StringBuilder("Usage: Admin " + noun + " VERB [--option value ...]\n");
        boolean in = false;
        boolean found = false;
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("  ") && !line.startsWith("   ")) { // a command line, not a continuation
                in = noun != null && line.trim().startsWith(noun + " ");
                found |= in;
            } else if (!line.startsWith(" ")) {
                in = true; // the notes at the end: tables, ids, passwords
            }
            if (in) {
                own.append(line).append('\n');
            }
        }
        return found ? own.toString().stripTrailing() : USAGE;
    }

    private int usage(String problem) {
        err.println(problem);
        err.println(USAGE);
        return 2;
    }

    /** An id as the envelope's ids may be (api/Ids): no '#', so no key of one organisation spells another's. */
    private static String id(Map<String, String> o, String name) {
        String value = need(o, name);
        if (!value.matches("[\\p{Alnum}._@:-]{1,64}")) {
            throw new IllegalArgumentException("--" + name + " may hold only letters, digits and . _ @ : -");
        }
        return value;
    }

    private static String need(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is needed");
        }
        return value;
    }

    /** "--name value" pairs after the two command words; --password-stdin stands alone. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument: " + a);
            }
            String name = a.substring(2);
            if (name.equals("password-stdin")) {
                o.put(name, "");
            } else if (name.equals("password")) {
                throw new IllegalArgumentException("Passwords are never taken on the command line: use --password-stdin");
            } else if (i + 1 < args.length) {
                o.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return o;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
