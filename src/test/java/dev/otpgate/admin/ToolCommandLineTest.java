package dev.otpgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.otpgate.support.Operator;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The tool's command line, before any table is read: ids checked, every option described, the missing region named. */
class ToolCommandLineTest {

    @TempDir
    Path home;

    /** Issue 22, finding 12: caller, key and org verbs check --org as user verbs do (a '#' spells another's key). */
    @Test
    void everyVerbChecksItsIdsBeforeReadingATable() {
        for (String[] args : List.of(
                new String[] { "caller", "show", "--org", "2#x", "--name", "svc" },
                new String[] { "caller", "revoke-tokens", "--org", "a b", "--name", "svc" },
                new String[] { "key", "add", "--org", "1#", "--name", "svc" },
                new String[] { "org", "show", "--org", "#" },
                new String[] { "org", "put", "--org", "1#2", "--code-length", "8" },
                new String[] { "user", "show", "--org", "1", "--domain", "1#2", "--user", "967" })) {
            Operator.Run run = Operator.run(null, "", args); // no client: nothing may reach DynamoDB
            assertEquals(2, run.status(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().matches("(?s)--(org|domain) may hold only letters, digits and \\. _ @ : -\\RUsage: admin .*"),
                    run.err());
        }
    }

    /** Issue 23: every option of every verb says what it is; user put's --name is not required (it keeps the stored one). */
    @Test
    void everyOptionHasADescription() {
        CommandLine root = new Admin(null, null, null, System.out, System.err, java.time.Clock.systemUTC()).commandLine();
        List<String> bare = new ArrayList<>();
        for (CommandLine noun : root.getSubcommands().values()) {
            for (CommandLine verb : noun.getSubcommands().values()) {
                for (OptionSpec o : verb.getCommandSpec().options()) {
                    if (!o.hidden() && (o.description().length == 0 || o.description()[0].isBlank())) {
                        bare.add(verb.getCommandSpec().qualifiedName() + " " + o.longestName());
                    }
                }
            }
        }
        assertEquals(List.of(), bare);
        OptionSpec name = root.getSubcommands().get("user").getSubcommands().get("put").getCommandSpec().findOption("--name");
        assertFalse(name.required(), "an option not given keeps what is stored");
        Operator.Run help = Operator.run(null, "", "user", "show", "--help");
        assertTrue(help.out().contains("--endpoint=URL") && help.out().contains("The user's DomainId"), help.out());
    }

    /** Issue 23: without a region and without --endpoint, one line that names both, exit 1, no stack trace. */
    @Test
    void noRegionIsOneLineNamingEndpointAndAwsRegion() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Admin.class.getName(), "org", "show", "--org", "1"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true"); // not an EC2 instance: no metadata service to ask
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out + err);
        assertEquals(List.of("No AWS region: set AWS_REGION (or a profile's region, AWS_PROFILE) for the deployed tables, "
                + "or give --endpoint http://localhost:8000 for the local run"), err.lines().toList());
    }
}
