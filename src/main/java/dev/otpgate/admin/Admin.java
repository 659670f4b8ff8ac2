package dev.otpgate.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import dev.otpgate.otp.OrgKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The operators' tool for the deployed tables (docs/admin.md), a picocli command line:
 * {@code java -jar target/otp-admin.jar caller put --org 1 --name svc --password-stdin}. AWS credentials and
 * region come from the usual AWS environment (AWS_PROFILE, AWS_REGION); with {@code --endpoint} (DynamoDB
 * Local) it needs neither. The DynamoDB client is made only when a command needs it, so {@code --help} and a
 * wrong argument never reach the SDK. It stores only hashes, reads passwords from the console or standard
 * input (never from the command line, which other users of the machine can see), and prints a secret only
 * when it has just made it: a new API key, once. Left out of function.zip.
 */
@Command(name = "admin", description = "The operators' tool for the deployed tables (docs/admin.md).",
        synopsisSubcommandLabel = "NOUN VERB", footer = { "", Admin.TABLES, Admin.IDS, Admin.PASSWORDS })
public final class Admin implements Callable<Integer> {

    /** The notes at the end of every help: one line each, as picocli wraps each to the terminal's width. */
    static final String TABLES = "Tables: --users-table T (default $OTP_TABLES_USERS or otp-users), likewise --callers-table, "
            + "--orgs-table, --limits-table, --transactions-table; --endpoint URL for DynamoDB Local "
            + "(the local run: http://localhost:8000), with no AWS region or credentials needed.";
    static final String IDS = "Ids are letters, digits and . _ @ : -. Exit status: 0 done, 1 not done "
            + "(or a row refused), 2 not understood.";
    static final String PASSWORDS = "--password-stdin reads the password from the console without echo, "
            + "or one line of standard input.";
    static final String ORG = "The organisation: the OrgID of the envelope (the legacy one, $OTP_TENANCY_LEGACY_ORG or 1, "
            + "keeps unprefixed keys).";
    static final String DOMAIN = "The user's DomainId, as the envelope's objUserInformation has it.";
    static final String USER = "The user's UserID, as the envelope's objUserInformation has it.";
    static final String CALLER = "The caller's name: the UserName of the envelope's _ProxyDetails.";
    /** The options that name an id, checked before any verb runs. */
    private static final List<String> ID_OPTIONS = List.of("--org", "--domain", "--user");

    @Option(names = { "-h", "--help" }, usageHelp = true, scope = ScopeType.INHERIT, description = "This help.")
    boolean help;

    @Option(names = "--endpoint", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "DynamoDB Local's URL (the local run: http://localhost:8000); no AWS region or credentials needed.")
    URI endpoint;

    @Option(names = "--callers-table", paramLabel = "T", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:OTP_TABLES_CALLERS:-otp-callers}", description = "Default: $OTP_TABLES_CALLERS or otp-callers.")
    String callersTable;

    @Option(names = "--users-table", paramLabel = "T", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:OTP_TABLES_USERS:-otp-users}", description = "Default: $OTP_TABLES_USERS or otp-users.")
    String usersTable;

    @Option(names = "--orgs-table", paramLabel = "T", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:OTP_TABLES_ORGS:-otp-orgs}", description = "Default: $OTP_TABLES_ORGS or otp-orgs.")
    String orgsTable;

    @Option(names = "--limits-table", paramLabel = "T", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:OTP_TABLES_LIMITS:-otp-limits}", description = "Default: $OTP_TABLES_LIMITS or otp-limits.")
    String limitsTable;

    @Option(names = "--transactions-table", paramLabel = "T", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:OTP_TABLES_TRANSACTIONS:-otp-transactions}",
            description = "Default: $OTP_TABLES_TRANSACTIONS or otp-transactions.")
    String transactionsTable;

    final Console console;
    final BufferedReader in;
    final PrintStream out;
    final PrintStream err;
    final Clock clock;
    /** The client given (tests), or null: made from --endpoint or the AWS environment on first use. */
    private DynamoDbClient dynamo;
    private boolean ownClient;

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
        // the class path has JBoss LogManager (Quarkus'); without this the SDK's first log call warns about it
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        int status = new Admin(null, System.console(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out, System.err,
                Clock.systemUTC()).run(args);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; 0 when done, 1 when it could not be done, 2 when it was not understood. */
    public int run(String[] args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            if (ownClient) {
                dynamo.close();
            }
        }
    }

    /** The nouns, their verbs and options, and how a failure becomes an exit status. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this)
                .addSubcommand(new CommandLine(new UserVerbs(this)))
                .addSubcommand(OrgVerbs.commandLine(this))
                .addSubcommand(new CommandLine(new CallerVerbs(this)))
                .addSubcommand(new CommandLine(new KeyVerbs(this)));
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setColorScheme(CommandLine.Help.defaultColorScheme(console == null ? Ansi.OFF : Ansi.AUTO))
                .setParameterExceptionHandler(this::notUnderstood)
                .setExecutionStrategy(parsed -> {
                    idsChecked(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler((e, failed, parsed) -> {
                    if (e instanceof IllegalArgumentException) {
                        return usage(failed, e.getMessage());
                    }
                    if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                        err.println("Cannot read or write the file: " + e.getMessage());
                        return 1;
                    }
                    if (e instanceof NoRegion) {
                        err.println(e.getMessage());
                        return 1;
                    }
                    if (e instanceof SdkException) {
                        err.println("DynamoDB: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        return cl;
    }

    @Override
    public Integer call() {
        throw new IllegalArgumentException("A command is two words, such as: caller put");
    }

    /** Every --org, --domain and --user is an id before a verb reads a table (a '#' would spell another's key). */
    private static void idsChecked(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (String option : ID_OPTIONS) {
                if (p.hasMatchedOption(option)) {
                    try {
                        id(option, p.matchedOptionValue(option, ""));
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(p.commandSpec().commandLine(), e.getMessage());
                    }
                }
            }
        }
    }

    private int notUnderstood(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String problem = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            problem = !failed.getSubcommands().isEmpty() && !first.startsWith("-")
                    ? "Unknown command: " + failed.getCommandName() + " " + first
                    : "Unexpected argument: " + first;
        }
        return usage(failed, problem);
    }

    private int usage(CommandLine failed, String problem) {
        err.println(problem);
        failed.usage(err, failed.getColorScheme());
        return 2;
    }

    /** The DynamoDB client, made now if none was given. */
    DynamoDbClient dynamo() {
        if (dynamo == null) {
            DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
            if (endpoint == null) {
                try {
                    new DefaultAwsRegionProviderChain().getRegion();
                } catch (SdkClientException e) {
                    throw new NoRegion();
                }
            } else {
                // DynamoDB Local checks neither; its tables are shared by every key and region (-sharedDb)
                String region = System.getenv("AWS_REGION");
                builder.endpointOverride(endpoint)
                        .region(region == null || region.isBlank() ? Region.US_EAST_1 : Region.of(region))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
            dynamo = builder.build();
            ownClient = true;
        }
        return dynamo;
    }

    /** No region and no --endpoint: the one line that says what to give. */
    static final class NoRegion extends RuntimeException {
        NoRegion() {
            super("No AWS region: set AWS_REGION (or a profile's region, AWS_PROFILE) for the deployed tables, "
                    + "or give --endpoint http://localhost:8000 for the local run", null, false, false);
        }
    }

    CallerWrites callerWrites() {
        return new CallerWrites(dynamo(), callersTable, usersTable, clock);
    }

    OrgKeys orgKeys() {
        String legacy = System.getenv("OTP_TENANCY_LEGACY_ORG");
        return new OrgKeys(legacy == null || legacy.isBlank() ? OrgKeys.DEFAULT_LEGACY_ORG : legacy);
    }

    /** An id as the envelope's ids may be (api/Ids): no '#', so no key of one organisation spells another's. */
    static String id(String option, String value) {
        if (!value.matches("[\\p{Alnum}._@:-]{1,64}")) {
            throw new IllegalArgumentException(option + " may hold only letters, digits and . _ @ : -");
        }
        return value;
    }

    /** 0 and the success line on standard output, or 1 and the failure on standard error. */
    int done(boolean ok, String success, String failure) {
        (ok ? out : err).println(ok ? success : failure);
        return ok ? 0 : 1;
    }
}
