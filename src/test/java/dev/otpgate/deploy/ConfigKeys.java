package dev.otpgate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The configuration keys the code reads: every leaf of every {@code @ConfigMapping} in the application. */
record ConfigKeys(Set<String> leaves) {

    /**
     * Keys the template deliberately leaves at their defaults, each with its reason. Anything else the code
     * reads must be set by template.yaml (TemplateTest).
     */
    static final Set<String> KEPT_AT_DEFAULT = Set.of(
            "otp.sms.template", // message texts: product copy, changed with the code and reviewed there
            "otp.email.subject",
            "otp.email.template",
            "otp.api.max-body-bytes", // a guard, not a policy
            "otp.deadline.function-timeout", // = the function's Timeout; TemplateTest checks the two agree
            // organisations choose these with `admin org put`; the deployment's defaults (every channel, no
            // fallback, English) keep an existing deployment as it was
            "otp.channels",
            "otp.fallback",
            "otp.default-locale",
            // SnapStart's priming runs when Lambda initialises for SnapStart; forcing it is for bench/PackageBench, and
            // the rounds are a measured trade of init time against the first call (bench/BENCHMARKS.md)
            "otp.snapstart.prime",
            "otp.snapstart.prime-rounds",
            "otp.snapstart.prime-budget", // 10 s, well inside SnapStart's 130 s init limit (docs/deploy.md)
            "otp.tenancy.legacy-org", // the owner of data written before organisations: changing it orphans that data
            // wrong passwords per source (docs/authentication.md): the back-off's shape, the same for every stage
            "otp.auth.free-failures-per-source",
            "otp.auth.first-delay",
            "otp.auth.max-delay",
            "otp.auth.ceiling-checks-per-minute",
            "otp.auth.checks-past-ceiling", // the part of max-failures kept for new sources past the ceiling
            "otp.auth.logins-per-range-per-minute",
            // the fraud guard (docs/limits-and-fraud.md "The fraud guard"): the anchor's numbers, tuned in record mode
            // and changed with the code's review; the mode, the SMS budget and the address allow-list are template parameters
            "otp.fraud.address-hourly",
            "otp.fraud.address-daily",
            "otp.fraud.countries-per-address",
            "otp.fraud.country-daily-floor",
            "otp.fraud.country-hourly-floor",
            "otp.fraud.email-budget-per-day",
            "otp.fraud.caller-quota-per-day",
            // each organisation's share (docs/limits-and-fraud.md "Per organisation and per deployment"): per
            // organisation with `admin org put --sms-budget-per-day`, the deployment's SmsBudgetPerDay stays the breaker
            "otp.fraud.org-budget-percent",
            "otp.fraud.deployment-country-factor",
            "otp.fraud.shards", // raised with the traffic: 10 for 1,000 generates/s, 100 for 10,000/s (docs/limits-and-fraud.md)
            "otp.fraud.allow.countries", // where the product is served, trust is in the adaptive thresholds instead
            "otp.fraud.allow.callers",
            "otp.limits.consecutive-failures", // NIST 800-63B's 100 at most: the default is the bound
            "otp.limits.caller-failed-guesses-per-hour");

    /** Variables the runtime, not our configuration, reads. */
    static final Set<String> RUNTIME_VARIABLES = Set.of(
            "DISABLE_SIGNAL_HANDLERS", // Quarkus native on Lambda: the runtime, not the app, handles signals
            "QUARKUS_LOG_LEVEL",
            "QUARKUS_PROFILE"); // prod in AWS, sam-local under sam local

    static ConfigKeys of(List<Class<?>> mappings) {
        Set<String> leaves = new TreeSet<>();
        for (Class<?> type : mappings) {
            String prefix = type.getAnnotation(ConfigMapping.class).prefix();
            Map<String, ConfigMappingInterface.Property> properties = ConfigMappings.getProperties(
                    ConfigMappings.ConfigClass.configClass(type, prefix));
            properties.forEach((path, property) -> {
                if (path.contains("*")) {
                    return; // the elements of a list or map: the list itself is one key (a comma-separated value)
                }
                if (!property.isGroup() && !(property.isOptional() && property.asOptional().getNestedProperty().isGroup())) {
                    leaves.add(path);
                }
            });
        }
        return new ConfigKeys(leaves);
    }

    /** Every interface of the application annotated {@code @ConfigMapping}, from the compiled classes. */
    static List<Class<?>> mappings() {
        Path classes = Path.of("target", "classes");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replace('\\', '.');
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        ConfigKeys.class.getClassLoader());
                if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                    found.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /**
     * The configuration the function builds at start in the given profile, from application.properties and
     * the given environment (plus any other source, e.g. the SSM factory), with every mapping validated.
     */
    static SmallRyeConfig config(String profile, Map<String, String> environment, ConfigSourceFactory... factories) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(applicationProperties(), "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(factories);
        mappings().forEach(builder::withMapping);
        return builder.build();
    }

    /** src/main/resources/application.properties, as the function reads it. */
    static Map<String, String> applicationProperties() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
