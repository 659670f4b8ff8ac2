package dev.otpgate.deploy;

import static dev.otpgate.deploy.Template.list;
import static dev.otpgate.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * The deploy workflow and samconfig.toml cannot run here; their shape is checked instead: valid YAML and
 * TOML, tests before the native build, OIDC and no stored keys, every environment's parameters known to the
 * template, the native build on the architecture the stacks declare.
 */
class PipelineTest {

    static final Path WORKFLOW = Path.of(".github", "workflows", "deploy.yml");

    final Map<String, Object> workflow = yaml(WORKFLOW);
    final Map<String, Object> jobs = map(workflow.get("jobs"));
    final JsonNode samconfig = toml(Path.of("samconfig.toml"));

    @Test
    void testsThenNativeBuildThenStagingThenProd() {
        assertEquals(List.of("test", "native", "deploy-staging", "deploy-prod"), List.copyOf(jobs.keySet()));
        assertEquals("test", map(jobs.get("native")).get("needs"));
        assertEquals("native", map(jobs.get("deploy-staging")).get("needs"));
        assertEquals("deploy-staging", map(jobs.get("deploy-prod")).get("needs"));
        assertTrue(runs("test").contains("./mvnw -B verify"), "CI's test command, as in .ci/run");
        assertTrue(runs("native").stream().anyMatch(r -> r.contains("-Dnative")), runs("native").toString());
        Object on = workflow.containsKey("on") ? workflow.get("on") : workflow.get(true); // YAML 1.1 reads `on` as true
        assertTrue(map(on).containsKey("push") && map(on).containsKey("workflow_dispatch"), String.valueOf(on));
    }

    @Test
    void theNativeJobRunsTheIntegrationTestsOnTheExecutableItShipsBeforeAnyDeploy() {
        List<String> nativeRuns = runs("native");
        String build = nativeRuns.stream().filter(r -> r.contains("-Dnative")).findFirst().orElseThrow();
        assertTrue(build.contains("./mvnw -B verify"), "verify runs failsafe's ITs on the native executable: " + build);
        assertFalse(String.join("\n", runs("test", "native", "deploy-staging")).contains("-DskipTests")
                || build.contains("skipITs"), "nothing that ships is built with its tests skipped");
        assertTrue(nativeRuns.stream().anyMatch(r -> r.contains("cmp - target/*-runner")),
                "the zip's bootstrap is the executable the ITs ran");
        Map<String, Object> job = map(jobs.get("native"));
        // DynamoDB Local cannot run in the test JVM on arm64: its container runs beside it (AwsLocalResource)
        assertTrue(String.valueOf(map(map(job.get("services")).get("dynamodb")).get("image")).matches("amazon/dynamodb-local:[0-9.]+"));
        assertEquals("http://localhost:8000", map(job.get("env")).get("OTP_TEST_DYNAMODB_ENDPOINT"));
    }

    @Test
    void theTestJobLintsTheTemplateWithAPinnedCfnLintAndSamValidate() {
        String test = String.join("\n", runs("test"));
        assertTrue(test.contains("cfn-lint template.yaml"), test);
        Map<String, Object> cfnLint = list(map(jobs.get("test")).get("steps")).stream().map(Template::map)
                .filter(st -> String.valueOf(st.get("run")).contains("cfn-lint template.yaml")).findFirst().orElseThrow();
        assertTrue(String.valueOf(map(cfnLint.get("env")).get("CFN_LINT_VERSION")).matches("\\d+\\.\\d+\\.\\d+"), "pinned");
        assertTrue(test.contains("sam validate --lint"), test);
    }

    @Test
    void theSmokeTestGoesThroughEveryLayerAndReportsTheColdStart() {
        String staging = String.join("\n", runs("deploy-staging"));
        assertTrue(staging.contains("ADM_ValidateOTP") && staging.contains("\"APIKEY\"") && staging.contains("= 404"),
                "an APIKEY caller's validate of an unknown TransactionID: the 404 envelope");
        assertTrue(staging.contains("Unknown TransactionID for this LoginUID"), "the envelope's error, as docs/deploy.md has it");
        assertTrue(staging.contains("SMOKE_GENERATE_USER") && staging.contains("ADM_GenerateOTP"), "the optional real generate");
        assertTrue(staging.contains("Init Duration") && staging.contains("Max Memory Used")
                && staging.contains("GITHUB_STEP_SUMMARY"), "the cold start and memory in the job summary");
    }

    @Test
    void deploysUseAnOidcRoleAndNoStoredKeys() throws IOException {
        String text = Files.readString(WORKFLOW);
        assertFalse(text.contains("aws-access-key-id") || text.contains("aws-secret-access-key")
                || text.contains("AWS_SECRET_ACCESS_KEY"), "no long-lived keys in the pipeline");
        for (String job : List.of("deploy-staging", "deploy-prod")) {
            Map<String, Object> j = map(jobs.get(job));
            assertEquals("write", map(j.get("permissions")).get("id-token"), job + " needs the OIDC token");
            Map<String, Object> credentials = step(job, "aws-actions/configure-aws-credentials");
            assertTrue(String.valueOf(map(credentials.get("with")).get("role-to-assume")).contains("AWS_DEPLOY_ROLE_ARN"));
            String environment = String.valueOf(j.get("environment"));
            assertTrue(runs(job).stream().anyMatch(r -> r.contains("sam deploy --config-env " + environment)),
                    job + " deploys its own GitHub environment's samconfig section");
            assertTrue(samconfig.has(environment), "samconfig.toml has no [" + environment + "]");
            Map<String, Object> download = step(job, "actions/download-artifact");
            assertEquals("target", map(download.get("with")).get("path"), "template.yaml's CodeUri is target/function.zip");
        }
        assertEquals(Map.of("contents", "read"), workflow.get("permissions"), "the default token is read-only");
    }

    @Test
    void theSmokeTestAsksTheStackSamconfigDeploys() {
        String stack = samconfig.at("/staging/deploy/parameters/stack_name").asText();
        assertTrue(runs("deploy-staging").stream().anyMatch(r -> r.contains("--stack-name " + stack)), stack);
    }

    @Test
    void everyEnvironmentsParametersAreTemplateParametersAndNativeMatchesTheRunner() {
        Set<String> declared = Template.load().parameterDeclarations().keySet();
        List<String> secretNames = new ArrayList<>();
        for (var env : (Iterable<Map.Entry<String, JsonNode>>) samconfig.properties()::iterator) {
            JsonNode deploy = env.getValue().at("/deploy/parameters");
            if (deploy.isMissingNode()) {
                continue;
            }
            Map<String, String> overrides = overrides(deploy.get("parameter_overrides").asText());
            Set<String> unknown = new TreeSet<>(overrides.keySet());
            unknown.removeAll(declared);
            assertEquals(Set.of(), unknown, env.getKey() + ": parameters template.yaml does not declare");
            assertEquals("template.yaml", deploy.get("template_file").asText());
            assertEquals("CAPABILITY_IAM", deploy.get("capabilities").asText(), "SAM creates the function's role");
            assertTrue(overrides.containsKey("HmacKeyParameter"), env.getKey() + " names its own HMAC key parameter");
            secretNames.add(overrides.get("HmacKeyParameter"));
            overrides.forEach((name, value) -> assertAllowed(env.getKey(), name, value));
            if (List.of("staging", "prod").contains(env.getKey())) {
                assertEquals("native", overrides.get("Flavour"), "CI ships the native package");
                assertEquals("arm64", overrides.get("Architecture"));
                assertTrue(String.valueOf(map(jobs.get("native")).get("runs-on")).contains("arm"),
                        "arm64 stacks need the native build on an arm64 runner");
            }
        }
        assertEquals(secretNames.size(), new TreeSet<>(secretNames).size(), "each environment has its own key");
    }

    /** CloudFormation would refuse the stack: AllowedValues / AllowedPattern of the template's parameter. */
    static void assertAllowed(String env, String name, String value) {
        Map<String, Object> declaration = map(Template.load().parameterDeclarations().get(name));
        List<Object> allowed = list(declaration.get("AllowedValues"));
        if (!allowed.isEmpty()) {
            assertTrue(allowed.stream().map(String::valueOf).anyMatch(value::equals), env + ": " + name + "=" + value);
        }
        Object pattern = declaration.get("AllowedPattern");
        if (pattern != null) {
            assertTrue(value.matches(String.valueOf(pattern)), env + ": " + name + "=" + value + " !~ " + pattern);
        }
    }

    /** {@code A="x" B="y z"} as SAM writes parameter_overrides. */
    static Map<String, String> overrides(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|(\\S+))").matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    List<String> runs(String... jobNames) {
        List<String> out = new ArrayList<>();
        for (String job : jobNames) {
            out.addAll(runs(job));
        }
        return out;
    }

    List<String> runs(String job) {
        List<String> out = new ArrayList<>();
        for (Object s : list(map(jobs.get(job)).get("steps"))) {
            Object run = map(s).get("run");
            if (run != null) {
                out.add(String.valueOf(run));
            }
        }
        return out;
    }

    Map<String, Object> step(String job, String action) {
        for (Object s : list(map(jobs.get(job)).get("steps"))) {
            if (String.valueOf(map(s).get("uses")).startsWith(action + "@")) {
                return map(s);
            }
        }
        throw new AssertionError(job + " has no step using " + action);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return (Map<String, Object>) new Yaml().load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode toml(Path file) {
        try {
            return new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
