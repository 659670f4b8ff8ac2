package dev.otpgate.admin;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code org put} and {@code org show} (the work is OrgCommands'). The settings of {@code org put} are made
 * from OrgCommands' table of them, so that a setting added there is an option here with nothing else to do.
 */
@Command(name = "org", description = "An organisation's settings (docs/organisations.md).", synopsisSubcommandLabel = "VERB",
        footer = { "", Admin.TABLES, Admin.IDS })
final class OrgVerbs {

    /** What the operator sees in the help of each setting; a setting not listed refers to the docs. */
    private static final Map<String, String> HELP = Map.ofEntries(Map.entry("channel", "SMS|EMAIL|VOICE"),
            Map.entry("channels", "SMS,VOICE,EMAIL"), Map.entry("fallback", "true|false"), Map.entry("code-length", "6-10"),
            Map.entry("validity", "PT5M"), Map.entry("max-attempts", "N"), Map.entry("failed-guesses-per-hour", "N"),
            Map.entry("send-cooldown", "PT30S"), Map.entry("sends-per-window", "N"), Map.entry("send-window", "PT15M"),
            Map.entry("sms-countries", "US,CA"), Map.entry("sms-sender-id", "ID"),
            Map.entry("sms-origination-number", "+E164"), Map.entry("email-sender", "ADDR"),
            Map.entry("default-locale", "de"), Map.entry("locale", "TAG"), Map.entry("sms", "TEXT"),
            Map.entry("email-subject", "TEXT"), Map.entry("email-body", "TEXT"),
            Map.entry("sms-max-price", "USD"));

    private final Admin admin;

    private OrgVerbs(Admin admin) {
        this.admin = admin;
    }

    static CommandLine commandLine(Admin admin) {
        CommandLine put = new CommandLine(new Put(admin));
        TreeSet<String> settings = new TreeSet<>(OrgCommands.SINGLE.keySet());
        for (String setting : settings) {
            put.getCommandSpec().addOption(OptionSpec.builder("--" + setting).type(String.class)
                    .paramLabel(HELP.getOrDefault(setting, "V")).description("\"\" unsets: the deployment's value").build());
        }
        for (String text : new String[] { "locale", "sms", "email-subject", "email-body" }) {
            put.getCommandSpec().addOption(OptionSpec.builder("--" + text).type(String.class).paramLabel(HELP.get(text))
                    .description("A locale's texts: --locale, --sms, --email-subject and --email-body together "
                            + "(%%1$s the code, %%2$d the minutes; \\n a line break)").build());
        }
        return new CommandLine(new OrgVerbs(admin)).addSubcommand(put);
    }

    @Command(name = "show", description = "The organisation's own settings.")
    int show(@Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG) String org) {
        return orgCommands().show(org);
    }

    private OrgCommands orgCommands() {
        return orgCommands(admin);
    }

    private static OrgCommands orgCommands(Admin admin) {
        return new OrgCommands(admin.dynamo(), admin.orgsTable, OrgCommands.boundsFromEnvironment(System.getenv()),
                admin.out);
    }

    @Command(name = "put", description = { "Changes the settings named; checked against the deployment's bounds,",
            "in force within a minute." })
    static final class Put implements Callable<Integer> {

        private final Admin admin;

        @Spec
        CommandSpec spec;

        @Option(names = "--org", required = true, paramLabel = "O", description = Admin.ORG)
        String org;

        Put(Admin admin) {
            this.admin = admin;
        }

        @Override
        public Integer call() {
            Map<String, String> given = new HashMap<>();
            for (OptionSpec option : spec.options()) {
                String name = option.longestName().substring(2);
                if (option.getValue() != null && !option.inherited() && !name.equals("help") && !name.equals("org")) {
                    given.put(name, option.getValue());
                }
            }
            return orgCommands(admin).put(org, given);
        }
    }
}
