package dev.otpgate.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The configuration properties that hold secrets, and how their values are fetched from SSM Parameter
 * Store. In AWS the environment names the parameter, never the value: {@code OTP_HMAC_KEY_PARAMETER}
 * names the SecureString whose value becomes {@code otp.hmac-key}.
 */
public final class SsmSecrets {

    /** Secret properties; template.yaml sets the {@link #parameterVariable} of each one it uses. */
    public static final List<String> PROPERTIES = List.of("otp.hmac-key", "otp.auth.token-key", "otp.source.origin-secret");

    private SsmSecrets() {
    }

    /** {@code otp.hmac-key} -> {@code OTP_HMAC_KEY_PARAMETER}: the variable holding the parameter's name. */
    public static String parameterVariable(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PARAMETER";
    }

    /**
     * Reads every named parameter, decrypted, in ONE GetParameters call (it takes up to 10 names), and
     * answers property -> value. A parameter that does not exist stops the start: a function without
     * its key must not answer at all.
     */
    static Map<String, String> load(Map<String, String> parameterByProperty, SsmClient ssm) {
        GetParametersResponse answer = ssm.getParameters(r -> r.names(parameterByProperty.values()).withDecryption(true));
        if (answer.hasInvalidParameters() && !answer.invalidParameters().isEmpty()) {
            throw new IllegalStateException("SSM parameters not found (or not readable): " + answer.invalidParameters());
        }
        Map<String, String> valueByName = new LinkedHashMap<>();
        for (Parameter p : answer.parameters()) {
            valueByName.put(p.name(), p.value());
        }
        Map<String, String> values = new LinkedHashMap<>();
        parameterByProperty.forEach((property, name) -> {
            String value = valueByName.get(name);
            if (value == null) {
                throw new IllegalStateException("SSM did not return the parameter " + name + " for " + property);
            }
            values.put(property, value);
        });
        return values;
    }
}
