package dev.otpgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.support.Seed;
import dev.otpgate.auth.AuthConfig;
import dev.otpgate.secrets.SecretKeys;
import dev.otpgate.secrets.SsmSecretsFactory;
import io.smallrye.config.SmallRyeConfig;

/** events/env.json, the variables `sam local` gives the function: each must exist in the template, and together they must start it. */
class SamLocalTest {

    final Template template = Template.load();

    @Test
    void everyVariableOfTheEnvFileIsDeclaredInTheTemplate() throws IOException {
        Map<String, String> overrides = overrides();
        assertTrue(overrides.containsKey("QUARKUS_PROFILE"), overrides.toString());
        Set<String> undeclared = new TreeSet<>(overrides.keySet());
        undeclared.removeAll(template.environment().keySet());
        assertEquals(Set.of(), undeclared, "sam local silently drops variables the template does not declare");
    }

    @Test
    void theFunctionStartsUnderSamLocalAgainstDynamoDbLocalWithoutSsm() throws IOException {
        Map<String, String> env = new HashMap<>(template.environment());
        env.putAll(overrides());
        SmallRyeConfig config = ConfigKeys.config(env.get("QUARKUS_PROFILE"), env, new SsmSecretsFactory());
        OtpConfig otp = config.getConfigMapping(OtpConfig.class);
        assertTrue(SecretKeys.decode("otp.hmac-key", otp.hmacKey()).length >= 32, "a local key, no SSM parameter named");
        assertTrue(SecretKeys.decode("otp.auth.token-key", config.getConfigMapping(AuthConfig.class).tokenKey()).length >= 32,
                "a local token key");
        OtpConfig defaults = ConfigKeys.config("dev", Map.of()).getConfigMapping(OtpConfig.class);
        assertEquals(TableSpec.all(defaults.tables()), TableSpec.all(otp.tables()),
                "every table under the name the local run creates it with (events/env.json: OTP_TABLES_*)");
        assertEquals("http://host.docker.internal:8000", config.getValue("quarkus.dynamodb.endpoint-override", String.class));
    }

    static Map<String, String> overrides() throws IOException {
        JsonNode file = Seed.tree(Files.readString(Path.of("events", "env.json")));
        assertEquals(1, file.size(), "keyed by the function's logical id");
        assertTrue(file.has(Template.load().function()), file.toString());
        Map<String, String> out = new HashMap<>();
        file.get(Template.load().function()).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
