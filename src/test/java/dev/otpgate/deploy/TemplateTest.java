package dev.otpgate.deploy;

import static dev.otpgate.deploy.Template.list;
import static dev.otpgate.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.auth.AuthConfig;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.ops.CallMetrics;
import dev.otpgate.otp.Channel;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.secrets.SsmSecrets;
import io.smallrye.config.SmallRyeConfig;

/**
 * template.yaml cannot be deployed from here, so it is checked against the code: the route, every table
 * of {@link TableSpec}, every configuration key, the IAM grants against the AWS calls in the sources, the
 * secrets, and the alarm against the metrics the call log writes. A new table, key or AWS call fails a
 * test here until the template has it.
 */
class TemplateTest {

    final Template template = Template.load();
    final String function = template.function();
    final Map<String, Object> fn = template.properties(function);

    @Test
    void theHttpApiRouteIsTheResourcePathWithPayload2() {
        Map<String, Object> events = map(fn.get("Events"));
        assertEquals(Set.of("SummitCall", "Ready"), events.keySet(), "the vendor's single URL, and the health check's");
        Map<String, Object> ready = map(map(events.get("Ready")).get("Properties"));
        assertEquals("/q/health/ready", ready.get("Path"), "Route 53's health check goes through the API to the function");
        assertEquals("GET", ready.get("Method"));
        Map<String, Object> event = map(events.get("SummitCall"));
        assertEquals("HttpApi", event.get("Type"), "quarkus-amazon-lambda-http reads HTTP API events");
        Map<String, Object> p = map(event.get("Properties"));
        assertEquals(SummitEndpoint.PATH, p.get("Path"));
        assertEquals("POST", p.get("Method"));
        assertEquals("2.0", p.get("PayloadFormatVersion"));
        assertEquals("ref:OtpApi", template.resolve(p.get("ApiId")));
        assertTrue(String.valueOf(template.resolve(map(template.root.get("Outputs")).get("ApiUrl")))
                .contains(SummitEndpoint.PATH), "the ApiUrl output is the full URL the app calls");
    }

    @Test
    void everyTableOfTableSpecIsDeclaredOnDemandWithItsKeysAndTtl() {
        Map<String, String> env = template.environment();
        Set<String> declared = new TreeSet<>(template.ofType("AWS::DynamoDB::Table"));
        declared.addAll(template.ofType("AWS::DynamoDB::GlobalTable"));
        Set<String> replicated = Set.copyOf(TableSpec.replicated(tableAccessorNames()));
        Set<String> used = new TreeSet<>();
        for (TableSpec spec : TableSpec.all(tableAccessorNames())) {
            String variable = "OTP_TABLES_" + envName(spec.name());
            String ref = env.get(variable);
            assertNotNull(ref, "template.yaml: the function's environment needs " + variable + ": !Ref <TheTable>"
                    + " for the table of otp.tables." + kebab(spec.name()) + " (docs/architecture.md: 'Adding a table or a configuration key')");
            assertTrue(ref.startsWith("ref:"), variable + " must be !Ref to the table resource, not a fixed name");
            String id = ref.substring(4);
            used.add(id);
            Map<String, Object> table = template.properties(id);
            // docs/regions.md: what an operator writes is a global table; codes and counters stay regional
            assertEquals(replicated.contains(spec.name()) ? "AWS::DynamoDB::GlobalTable" : "AWS::DynamoDB::Table",
                    template.resource(id).get("Type"), id);
            assertEquals("PAY_PER_REQUEST", table.get("BillingMode"), id);
            assertNull(table.get("TableName"), id + ": CloudFormation names it, so stacks (staging, prod) do not collide");

            Map<String, String> keys = new TreeMap<>();
            list(table.get("KeySchema")).forEach(k -> keys.put(String.valueOf(map(k).get("KeyType")),
                    String.valueOf(map(k).get("AttributeName"))));
            Map<String, String> want = new TreeMap<>(Map.of("HASH", spec.hashKey()));
            if (spec.rangeKey() != null) {
                want.put("RANGE", spec.rangeKey());
            }
            assertEquals(want, keys, id + " keys");
            Map<String, String> types = new TreeMap<>();
            list(table.get("AttributeDefinitions")).forEach(a -> types.put(String.valueOf(map(a).get("AttributeName")),
                    String.valueOf(map(a).get("AttributeType"))));
            Map<String, String> wantTypes = new TreeMap<>();
            want.values().forEach(k -> wantTypes.put(k, "S"));
            assertEquals(wantTypes, types, id + ": key attributes are strings (LocalTables creates them so)");

            Map<String, Object> ttl = map(table.get("TimeToLiveSpecification"));
            if (spec.ttlAttribute() == null) {
                assertTrue(ttl.isEmpty(), id + " has no TTL in TableSpec");
                Object pitr = replicated.contains(spec.name())
                        ? map(list(table.get("Replicas")).get(0)).get("PointInTimeRecoverySpecification") // per replica
                        : table.get("PointInTimeRecoverySpecification");
                assertEquals(Boolean.TRUE, map(pitr).get("PointInTimeRecoveryEnabled"),
                        id + " holds lasting data: point-in-time recovery on");
                assertEquals("Retain", template.resource(id).get("DeletionPolicy"), id + " outlives the stack");
            } else {
                assertEquals(spec.ttlAttribute(), ttl.get("AttributeName"), id + " TTL attribute");
                assertEquals(Boolean.TRUE, ttl.get("Enabled"), id + " TTL");
            }
        }
        assertEquals(used, declared, "every table in the template is one TableSpec lists, and the reverse");
    }

    @Test
    void everyConfigurationKeyIsSetOrDeliberatelyLeftAtItsDefault() {
        Map<String, String> env = template.environment();
        ConfigKeys keys = ConfigKeys.of(ConfigKeys.mappings());
        Set<String> known = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String property : keys.leaves()) {
            String variable = envName(property);
            known.add(variable);
            if (SsmSecrets.PROPERTIES.contains(property)) {
                String parameterVariable = SsmSecrets.parameterVariable(property);
                known.add(parameterVariable);
                assertFalse(env.containsKey(variable), property + " is a secret: never a plain environment value");
                if (!env.containsKey(parameterVariable)) {
                    missing.add(parameterVariable + " (the SSM parameter holding " + property + ")");
                }
            } else if (!env.containsKey(variable) && !ConfigKeys.KEPT_AT_DEFAULT.contains(property)) {
                missing.add(variable + " (" + property + ")");
            }
        }
        assertEquals(List.of(), missing, "template.yaml sets none of these; add a Parameter and an environment"
                + " variable, or list the key in ConfigKeys.KEPT_AT_DEFAULT with the reason");
        Set<String> unknown = new TreeSet<>(env.keySet());
        unknown.removeAll(known);
        unknown.removeAll(ConfigKeys.RUNTIME_VARIABLES);
        assertEquals(Set.of(), unknown, "variables the code never reads (a typo?)");
    }

    @Test
    void theFunctionStartsWithTheTemplatesEnvironment() {
        Map<String, String> env = new HashMap<>(template.environment());
        for (String secret : SsmSecrets.PROPERTIES) { // what SsmSecretsFactory adds from SSM
            assertNotNull(env.remove(SsmSecrets.parameterVariable(secret)), secret);
            env.put(envName(secret), "stands-in-for-the-ssm-value-0123456789abcdef");
        }
        SmallRyeConfig config = ConfigKeys.config("prod", env);
        OtpConfig otp = config.getConfigMapping(OtpConfig.class);
        assertEquals(Channel.SMS, otp.channel());
        assertEquals(6, otp.codeLength());
        assertEquals(java.time.Duration.ofMinutes(5), otp.validity());
        assertEquals("ref:UsersTable", otp.tables().users());
        assertEquals("ref:TransactionsTable", otp.tables().transactions());
        assertTrue(otp.sms().senderId().isEmpty(), "an empty parameter means: none");
        assertEquals(List.of("US", "CA"), otp.sms().allowedCountries(), "one comma-separated variable");
        assertEquals(java.time.Duration.ofSeconds(30), otp.limits().sendCooldown());
        assertEquals("ref:LimitsTable", otp.tables().limits());
        assertEquals("INFO", config.getValue("quarkus.log.level", String.class));
        assertEquals(java.time.Duration.ofMinutes(100), config.getConfigMapping(AuthConfig.class).tokenValidity());
    }

    @Test
    void iamGrantsExactlyTheCallsTheCodeMakesOnExactlyItsResources() {
        Set<AwsCallsInCode.Call> calls = AwsCallsInCode.scan(Path.of("src/main/java"));
        Map<String, String> env = template.environment();
        Set<String> want = new TreeSet<>();
        for (AwsCallsInCode.Call call : calls) {
            if (call.action().startsWith("dynamodb:")) {
                String ref = env.get("OTP_TABLES_" + envName(call.table()));
                assertNotNull(ref, "no table for otp.tables." + kebab(call.table()));
                want.add(call.action() + " on arn:" + ref.substring(4));
            } else if (call.action().equals("ses:SendEmail")) {
                want.add(call.action() + " on arn:aws:ses:eu-west-1:123456789012:identity/no-reply@example.com");
            } else if (call.action().equals("ssm:GetParameters")) {
                for (String property : SsmSecrets.PROPERTIES) {
                    String name = env.get(SsmSecrets.parameterVariable(property));
                    if (name != null && !name.isEmpty()) { // an optional secret's empty name: none to read
                        want.add(call.action() + " on arn:aws:ssm:eu-west-1:123456789012:parameter" + name);
                    }
                }
            } else {
                want.add(call.action() + " on *"); // sns:Publish to a phone number has no resource ARN
            }
        }
        assertTrue(want.contains("dynamodb:GetItem on arn:UsersTable"), "the scan found the directory: " + want);
        assertTrue(want.contains("sns:Publish on *") && want.contains("ses:SendEmail on arn:aws:ses:eu-west-1:123456789012:identity/no-reply@example.com"), want.toString());

        assertEquals(want, grants(template), "IAM must allow exactly what the code calls");
        assertFalse(grants(template).toString().contains("kms:"), "no KMS grant with the AWS-managed aws/ssm key");
    }

    @Test
    void aCustomerManagedKeyAddsOnlyDecryptThroughSsm() {
        Template withKey = Template.load(Map.of("SecretsKmsKeyArn", "arn:aws:kms:eu-west-1:123456789012:key/k1"));
        Set<String> extra = new TreeSet<>(grants(withKey));
        extra.removeAll(grants(template));
        assertEquals(Set.of("kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key/k1"), extra);
        String statement = withKey.resolve(fn.get("Policies")).toString();
        assertTrue(statement.contains("kms:ViaService=ssm.eu-west-1.amazonaws.com"), statement);
    }

    @Test
    void theSesGrantFollowsTheIdentityWhenOneIsGiven() {
        Template domain = Template.load(Map.of("EmailIdentity", "example.com"));
        assertTrue(grants(domain).contains("ses:SendEmail on arn:aws:ses:eu-west-1:123456789012:identity/example.com"));
    }

    @Test
    void everyConfigurationKeyThatLooksSecretComesFromSsm() {
        for (String property : ConfigKeys.of(ConfigKeys.mappings()).leaves()) {
            if (property.matches(".*[.-](key|secret|password|token)$")) {
                assertTrue(SsmSecrets.PROPERTIES.contains(property), property
                        + " looks like a secret: add it to SsmSecrets.PROPERTIES (its value then comes from SSM)");
            }
        }
    }

    @Test
    void noSecretIsATemplateParameter() {
        for (Map.Entry<String, Object> p : template.parameterDeclarations().entrySet()) {
            String name = p.getKey().toLowerCase(Locale.ROOT);
            assertFalse(name.matches(".*(key|secret|password|token)$"),
                    p.getKey() + " looks like a secret: put it in SSM and pass the parameter's NAME");
        }
        Map<String, String> env = template.environment();
        for (String property : SsmSecrets.PROPERTIES) {
            assertFalse(env.containsKey(envName(property)), property + " must come from SSM");
        }
        assertEquals("/otp-gate/hmac-key", env.get("OTP_HMAC_KEY_PARAMETER"));
    }

    @Test
    void nativeByDefaultAndTheJvmFlavourWithSnapStart() {
        Map<?, ?> nativeFn = (Map<?, ?>) template.resolve(fn);
        assertEquals("provided.al2023", nativeFn.get("Runtime"));
        assertEquals("target/function.zip", nativeFn.get("CodeUri"));
        assertEquals(List.of("arm64"), nativeFn.get("Architectures"));
        assertEquals(Map.of("ApplyOn", "None"), nativeFn.get("SnapStart"));
        assertEquals(Map.of("LogFormat", "JSON", "ApplicationLogLevel", "TRACE", "LogGroup", "ref:FunctionLogGroup"),
                nativeFn.get("LoggingConfig"), "Lambda passes every line on: the function's own level decides");
        assertTrue((Integer) nativeFn.get("Timeout") < 29, "the function gives up before API Gateway does");

        Template jvm = Template.load(Map.of("Flavour", "jvm"));
        Map<?, ?> jvmFn = (Map<?, ?>) jvm.resolve(fn);
        assertEquals("java21", jvmFn.get("Runtime"));
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", jvmFn.get("Handler"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), jvmFn.get("SnapStart"));
        assertEquals("live", jvmFn.get("AutoPublishAlias"), "SnapStart applies to published versions only");
    }

    @Test
    void theAlarmReadsTheMetricsTheCallLogWrites() {
        List<String> alarms = template.ofType("AWS::CloudWatch::Alarm");
        assertEquals(List.of("DeliveryFailureAlarm", "CallerLockoutAlarm", "FraudDenyAlarm", "ConversionAlarm",
                "SmsBudgetAlarm"), alarms);
        Map<?, ?> alarm = (Map<?, ?>) template.resolve(template.properties("DeliveryFailureAlarm"));
        Map<String, String> metricById = new TreeMap<>();
        for (Object q : (List<?>) alarm.get("Metrics")) {
            Map<?, ?> query = (Map<?, ?>) q;
            Map<?, ?> stat = (Map<?, ?>) query.get("MetricStat");
            if (stat == null) {
                String expression = String.valueOf(query.get("Expression"));
                assertTrue(expression.contains("failures") && expression.contains("sent"), expression);
                assertEquals(Boolean.TRUE, query.get("ReturnData"));
                continue;
            }
            Map<?, ?> metric = (Map<?, ?>) stat.get("Metric");
            assertEquals(CallMetrics.NAMESPACE, metric.get("Namespace"));
            Map<String, Object> dims = new TreeMap<>();
            ((List<?>) metric.get("Dimensions")).forEach(d -> dims.put(String.valueOf(((Map<?, ?>) d).get("Name")),
                    ((Map<?, ?>) d).get("Value")));
            assertEquals(Map.of(CallMetrics.FUNCTION, "ref:" + function, CallMetrics.CHANNEL, "SMS"), dims,
                    "the dimensions CallLog writes for a send, for this stack's function and channel");
            metricById.put(String.valueOf(query.get("Id")), String.valueOf(metric.get("MetricName")));
        }
        assertEquals(Map.of("failures", CallMetrics.DELIVERY_FAILURES, "sent", CallMetrics.CODES_SENT), metricById);
    }

    @Test
    void theLockoutAlarmReadsTheMetricTheCallLogWritesForALockout() throws Exception {
        Map<?, ?> alarm = (Map<?, ?>) template.resolve(template.properties("CallerLockoutAlarm"));
        assertEquals(CallMetrics.NAMESPACE, alarm.get("Namespace"));
        assertEquals(CallMetrics.CALLER_LOCKOUTS, alarm.get("MetricName"));
        assertEquals(List.of(Map.of("Name", CallMetrics.FUNCTION, "Value", "ref:" + function)), alarm.get("Dimensions"),
                "CallLog writes CallerLockouts with the Function dimension alone");
        assertEquals("Sum", alarm.get("Statistic"));
        assertEquals("5", String.valueOf(alarm.get("Threshold")), "CallerLockoutAlarmCount, 5 by default");
        // The code emits it (AuthLockoutTest sees it in a real call's line): CallLog names the metric.
        String callLog = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/java/dev/otpgate/ops/CallLog.java"));
        assertTrue(callLog.contains("CallMetrics.CALLER_LOCKOUTS"), "CallLog writes the metric the alarm reads");
    }

    private static Set<String> operateHeadings() {
        try {
            Set<String> headings = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of("docs/operate.md"))) {
                if (line.startsWith("#")) {
                    headings.add(line.replaceFirst("^#+\\s*", "").strip());
                }
            }
            return headings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/deploy.md lists every parameter and names every alarm and the dashboard: a new one is documented. */
    @Test
    void docsDeployNamesEveryParameterAlarmAndTheDashboard() throws IOException {
        String deploy = Files.readString(Path.of("docs/deploy.md"));
        List<String> named = new ArrayList<>(template.parameterDeclarations().keySet());
        named.addAll(template.ofType("AWS::CloudWatch::Alarm"));
        named.addAll(template.ofType("AWS::CloudWatch::Dashboard"));
        List<String> missing = named.stream().filter(n -> !deploy.contains("`" + n + "`")).toList();
        assertEquals(List.of(), missing, "docs/deploy.md does not name these");
    }

    /** Issue 12: every alarm says what it means and notifies the alarm topic (when there is one), on alarm and on OK. */
    @Test
    void everyAlarmHasADescriptionAndNotifiesTheTopic() {
        String topic = "arn:aws:sns:eu-west-1:123456789012:otp-alarms";
        Template withTopic = Template.load(Map.of("AlarmTopicArn", topic));
        List<String> alarms = withTopic.ofType("AWS::CloudWatch::Alarm");
        assertTrue(alarms.size() >= 5, alarms.toString());
        for (String id : alarms) {
            Map<?, ?> alarm = (Map<?, ?>) withTopic.resolve(withTopic.properties(id));
            assertTrue(String.valueOf(alarm.get("AlarmDescription")).length() > 40, id + ": an AlarmDescription saying what to do");
            Matcher runbook = Pattern.compile("docs/operate\\.md \"([^\"]+)\"")
                    .matcher(String.valueOf(alarm.get("AlarmDescription")));
            assertTrue(runbook.find(), id + ": points to its runbook, docs/operate.md \"<heading>\"");
            assertTrue(operateHeadings().contains(runbook.group(1)), id + ": docs/operate.md has no heading " + runbook.group(1));
            assertEquals(List.of(topic), alarm.get("AlarmActions"), id);
            assertEquals(List.of(topic), alarm.get("OKActions"), id);
            assertEquals("notBreaching", alarm.get("TreatMissingData"), id + ": no traffic is no alarm");
        }
        Map<?, ?> noTopic = (Map<?, ?>) template.resolve(template.properties("FraudDenyAlarm"));
        assertFalse(noTopic.containsKey("AlarmActions"), "without a topic the alarm only shows in CloudWatch");
    }

    /** Issue 12: one dashboard per stack, named after it, whose body (once !Sub is resolved) is a JSON document. */
    @Test
    void theDashboardIsNamedAfterTheStackAndItsBodyIsJson() throws Exception {
        assertEquals(List.of("Dashboard"), template.ofType("AWS::CloudWatch::Dashboard"));
        Map<?, ?> dashboard = (Map<?, ?>) template.resolve(template.properties("Dashboard"));
        assertEquals("otp-gate", dashboard.get("DashboardName"), "!Sub ${AWS::StackName}");
        com.fasterxml.jackson.databind.JsonNode body = dashboardBody();
        List<String> titles = new ArrayList<>();
        body.get("widgets").forEach(w -> titles.add(w.path("properties").path("title").asText()));
        for (String want : List.of("Codes sent by channel and country", "Delivery failures", "Conversion by country",
                "Refusals by limit", "Fraud guard hits", "Caller lockouts", "Latency p50 / p99", "Lambda errors and throttles",
                "Cold starts", "API Gateway 4xx / 5xx", "Alarms")) {
            assertTrue(titles.stream().anyMatch(t -> t.startsWith(want)), "a widget '" + want + "' in " + titles);
        }
        String text = body.toString();
        assertTrue(text.contains("\"stat\":\"p50\"") && text.contains("\"stat\":\"p99\""), "latency percentiles");
        assertTrue(text.contains("SOURCE 'ref:FunctionLogGroup'") && text.contains("record.metrics.initDurationMs"),
                "cold starts from the function's own log group (JSON format: platform.report)");
        for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
            assertTrue(text.contains("\"arn:" + alarm + "\""), "the alarms widget shows " + alarm);
        }
    }

    /**
     * Issue 12: every metric (and dimension set) the dashboard and the alarms read is one the code writes: the OtpGate
     * ones as CallLog's line builder writes them for sample calls (ops/SampleLines), Lambda's by FunctionName, the
     * HTTP API's (4xx, 5xx: not a REST API's 4XXError) by ApiId. A metric nothing emits would be an empty graph or
     * an alarm that never fires.
     */
    @Test
    void everyMetricTheDashboardAndTheAlarmsReadIsOneTheCodeEmits() throws Exception {
        Set<String> emitted = dev.otpgate.ops.SampleLines.emitted();
        assertEquals(dev.otpgate.ops.SampleLines.declared(), emitted,
                "CallMetrics.DIRECTIVES and what CallLog writes for the sample calls must be the same");
        List<Read> reads = new ArrayList<>();
        for (String id : template.ofType("AWS::CloudWatch::Alarm")) {
            reads.addAll(alarmReads(id, (Map<?, ?>) template.resolve(template.properties(id))));
        }
        reads.addAll(dashboardReads(dashboardBody()));
        assertTrue(reads.size() > 20, reads.toString());
        List<String> wrong = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        for (Read r : reads) {
            switch (r.namespace()) {
                case CallMetrics.NAMESPACE -> {
                    String key = dev.otpgate.ops.SampleLines.key(r.metric(), new ArrayList<>(r.dimensions().keySet()));
                    read.add(key);
                    if (!emitted.contains(key)) {
                        wrong.add(r.where() + ": " + key + " is not written by CallLog");
                    }
                    Object fn = r.dimensions().get(CallMetrics.FUNCTION);
                    if (!("ref:" + function).equals(fn) && !"*".equals(fn)) {
                        wrong.add(r.where() + ": " + key + " for Function=" + fn + ", not this stack's function");
                    }
                }
                case "AWS/Lambda" -> {
                    if (!Set.of("Errors", "Throttles", "Invocations", "Duration").contains(r.metric())
                            || !r.dimensions().equals(Map.of("FunctionName", "ref:" + function))) {
                        wrong.add(r.where() + ": " + r);
                    }
                }
                case "AWS/ApiGateway" -> {
                    if (!Set.of("4xx", "5xx", "Count", "Latency", "IntegrationLatency").contains(r.metric())
                            || !r.dimensions().equals(Map.of("ApiId", "ref:OtpApi"))) {
                        wrong.add(r.where() + ": " + r + " (an HTTP API: 4xx/5xx by ApiId)");
                    }
                }
                default -> wrong.add(r.where() + ": namespace " + r.namespace());
            }
        }
        assertEquals(List.of(), wrong);
        for (String metric : List.of(CallMetrics.CODES_SENT, CallMetrics.DELIVERY_FAILURES, CallMetrics.VERIFIED,
                CallMetrics.LIMITS_HIT, CallMetrics.FRAUD_HITS, CallMetrics.CALLER_LOCKOUTS, CallMetrics.LATENCY)) {
            assertTrue(read.stream().anyMatch(k -> k.startsWith(metric + " ")), "the dashboard or an alarm shows " + metric);
        }
    }

    /** The conversion alarm's thresholds: the average of Verified for each allowed conversion p is p / (100 + p). */
    @Test
    void theConversionThresholdsAreTheVerifiedAverageOfEachConversion() {
        Map<String, Object> rows = map(map(template.root.get("Mappings")).get("ConversionThreshold"));
        List<String> allowed = new ArrayList<>();
        list(map(template.parameterDeclarations().get("ConversionAlarmPercent")).get("AllowedValues"))
                .forEach(v -> allowed.add(String.valueOf(v)));
        assertEquals(allowed, new ArrayList<>(rows.keySet()), "one row per allowed ConversionAlarmPercent");
        for (Map.Entry<String, Object> row : rows.entrySet()) {
            double p = Double.parseDouble(row.getKey());
            double got = ((Number) map(row.getValue()).get("VerifiedAverage")).doubleValue();
            assertEquals(p / (100 + p), got, 0.00006, "row " + row.getKey());
        }
        Map<?, ?> alarm = (Map<?, ?>) template.resolve(template.properties("ConversionAlarm"));
        assertEquals(0.3333, ((Number) alarm.get("Threshold")).doubleValue(), 1e-9, "50 % by default");
        assertEquals("LessThanThreshold", alarm.get("ComparisonOperator"));
        String query = String.valueOf(((Map<?, ?>) ((List<?>) alarm.get("Metrics")).get(0)).get("Expression"));
        assertTrue(query.endsWith("GROUP BY Country"), "one contributor per country: " + query);
    }

    /** The SMS budget alarm divides by the very parameter the fraud guard's budget comes from. */
    @Test
    void theSmsBudgetAlarmUsesTheFraudGuardsBudget() {
        Template small = Template.load(Map.of("SmsBudgetPerDay", "1234"));
        assertEquals("1234", small.environment().get("OTP_FRAUD_SMS_BUDGET_PER_DAY"));
        Map<?, ?> alarm = (Map<?, ?>) small.resolve(small.properties("SmsBudgetAlarm"));
        List<?> metrics = (List<?>) alarm.get("Metrics");
        assertEquals("100 * sms / 1234", ((Map<?, ?>) metrics.get(1)).get("Expression"));
        Map<?, ?> stat = (Map<?, ?>) ((Map<?, ?>) metrics.get(0)).get("MetricStat");
        assertEquals(86400, stat.get("Period"), "a UTC day, as the budget's");
        assertEquals("80", String.valueOf(alarm.get("Threshold")));
        assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator"));
    }

    /** One metric the dashboard or an alarm reads. */
    record Read(String where, String namespace, String metric, Map<String, Object> dimensions) {
    }

    com.fasterxml.jackson.databind.JsonNode dashboardBody() throws Exception {
        Map<?, ?> dashboard = (Map<?, ?>) template.resolve(template.properties("Dashboard"));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(String.valueOf(dashboard.get("DashboardBody")));
    }

    private static final java.util.regex.Pattern SEARCH = java.util.regex.Pattern
            .compile("SEARCH\\('\\{([^}]*)}\\s+MetricName=\"([^\"]+)\"\\s+Function=\"([^\"]+)\"");
    private static final java.util.regex.Pattern SELECT = java.util.regex.Pattern
            .compile("SELECT \\w+\\((\\w+)\\) FROM SCHEMA\\(([^)]*)\\) WHERE Function = '([^']+)'.*");

    static List<Read> dashboardReads(com.fasterxml.jackson.databind.JsonNode body) {
        List<Read> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode widget : body.get("widgets")) {
            String where = "dashboard '" + widget.path("properties").path("title").asText() + "'";
            for (com.fasterxml.jackson.databind.JsonNode row : widget.path("properties").path("metrics")) {
                if (row.get(0).isTextual()) { // [namespace, metric, dimension, value, ..., {options}]
                    Map<String, Object> dims = new TreeMap<>();
                    for (int i = 2; i + 1 < row.size() && row.get(i).isTextual(); i += 2) {
                        dims.put(row.get(i).asText(), row.get(i + 1).asText());
                    }
                    out.add(new Read(where, row.get(0).asText(), row.get(1).asText(), dims));
                } else {
                    String expression = row.get(0).path("expression").asText();
                    java.util.regex.Matcher m = SEARCH.matcher(expression);
                    if (expression.contains("SEARCH(")) {
                        assertTrue(m.find(), where + ": a SEARCH this test can read: " + expression);
                        out.add(searched(where, m));
                    }
                }
            }
        }
        return out;
    }

    static Read searched(String where, java.util.regex.Matcher m) {
        List<String> schema = List.of(m.group(1).split(","));
        Map<String, Object> dims = new TreeMap<>();
        schema.subList(1, schema.size()).forEach(d -> dims.put(d.trim(), "*"));
        dims.put(CallMetrics.FUNCTION, m.group(3));
        return new Read(where, schema.get(0).trim(), m.group(2), dims);
    }

    static List<Read> alarmReads(String id, Map<?, ?> alarm) {
        List<Read> out = new ArrayList<>();
        if (alarm.get("MetricName") != null) {
            out.add(new Read(id, String.valueOf(alarm.get("Namespace")), String.valueOf(alarm.get("MetricName")),
                    dimensions(alarm.get("Dimensions"))));
        }
        for (Object q : list(alarm.get("Metrics"))) {
            Map<?, ?> query = (Map<?, ?>) q;
            Map<?, ?> stat = (Map<?, ?>) query.get("MetricStat");
            if (stat != null) {
                Map<?, ?> metric = (Map<?, ?>) stat.get("Metric");
                out.add(new Read(id, String.valueOf(metric.get("Namespace")), String.valueOf(metric.get("MetricName")),
                        dimensions(metric.get("Dimensions"))));
            } else if (String.valueOf(query.get("Expression")).startsWith("SELECT")) {
                java.util.regex.Matcher m = SELECT.matcher(String.valueOf(query.get("Expression")));
                assertTrue(m.matches(), id + ": a Metrics Insights query this test can read: " + query.get("Expression"));
                List<String> schema = List.of(m.group(2).split(","));
                Map<String, Object> dims = new TreeMap<>();
                schema.subList(1, schema.size()).forEach(d -> dims.put(d.trim(), "*"));
                dims.put(CallMetrics.FUNCTION, m.group(3));
                out.add(new Read(id, schema.get(0).trim(), m.group(1), dims));
            }
        }
        return out;
    }

    static Map<String, Object> dimensions(Object list) {
        Map<String, Object> out = new TreeMap<>();
        for (Object d : list(list)) {
            out.put(String.valueOf(((Map<?, ?>) d).get("Name")), ((Map<?, ?>) d).get("Value"));
        }
        return out;
    }

    @Test
    void smsPublishOnAnyResourceCannotReachTopics() {
        // sns:Publish needs "*" for an SMS to a phone number, but "*" also matches every topic of the account:
        // an explicit Deny on topic ARNs keeps the grant to SMS (an explicit Deny wins over any Allow).
        assertTrue(grants(template).contains("sns:Publish on *"), "the SMS grant itself");
        assertEquals(Set.of("sns:Publish on arn:aws:sns:*:*:*"), denials(template),
                "template.yaml: a Deny statement for sns:Publish on arn:${AWS::Partition}:sns:*:*:* (every topic)");
    }

    /** cfn-lint I3011: the default on delete/replace is to delete, so every stateful resource says what it wants. */
    @Test
    void everyStatefulResourceHasAnExplicitDeletionAndReplacePolicy() {
        List<String> stateful = new ArrayList<>(template.ofType("AWS::DynamoDB::Table"));
        stateful.addAll(template.ofType("AWS::DynamoDB::GlobalTable"));
        stateful.addAll(template.ofType("AWS::Logs::LogGroup"));
        assertTrue(stateful.containsAll(List.of("UsersTable", "CallersTable", "TransactionsTable", "LimitsTable",
                "FunctionLogGroup")), stateful.toString());
        List<String> missing = new ArrayList<>();
        for (String id : stateful) {
            Map<String, Object> resource = template.resource(id);
            for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
                Object value = resource.get(policy);
                if (value == null || !Set.of("Delete", "Retain", "Snapshot").contains(value)) {
                    missing.add(id + "." + policy + "=" + value);
                }
            }
            if ("Retain".equals(resource.get("DeletionPolicy"))) {
                // A kept resource with a fixed name would make a re-created stack fail on "already exists".
                assertNull(template.properties(id).get("TableName"), id + " is retained: no fixed name");
                assertNull(template.properties(id).get("LogGroupName"), id + " is retained: no fixed name");
            }
        }
        assertEquals(List.of(), missing, "template.yaml: set DeletionPolicy and UpdateReplacePolicy (with the reason)");
        assertEquals("Delete", template.resource("TransactionsTable").get("DeletionPolicy"), "codes live minutes");
        assertEquals("Delete", template.resource("LimitsTable").get("DeletionPolicy"), "counters live an hour at most");
    }

    /**
     * Audit issue 8, defect 3: every AWS client gives up on its own, and the worst request still answers inside
     * the function's Timeout, as the budget written next to it in template.yaml says.
     */
    @Test
    void everyAwsClientTimesOutAndTheWorstRequestFitsTheFunctionTimeout() throws Exception {
        java.util.Properties app = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        io.quarkus.runtime.configuration.DurationConverter durations = new io.quarkus.runtime.configuration.DurationConverter();
        Map<String, java.time.Duration> call = new TreeMap<>();
        for (String client : List.of("dynamodb", "sns", "ses")) {
            Map<String, java.time.Duration> t = new TreeMap<>();
            for (String key : List.of("sync-client.connection-timeout", "sync-client.socket-timeout",
                    "api-call-attempt-timeout", "api-call-timeout")) {
                String value = app.getProperty("quarkus." + client + "." + key);
                assertNotNull(value, "application.properties: quarkus." + client + "." + key + " (the default waits 30 s)");
                t.put(key, durations.convert(value));
            }
            assertTrue(t.get("api-call-attempt-timeout").compareTo(t.get("api-call-timeout")) <= 0, client + ": " + t);
            call.put(client, t.get("api-call-timeout"));
        }

        java.time.Duration timeout = java.time.Duration.ofSeconds(((Number) fn.get("Timeout")).longValue());
        String functionTimeoutDefault = dev.otpgate.otp.DeadlineConfig.class.getMethod("functionTimeout")
                .getAnnotation(io.smallrye.config.WithDefault.class).value();
        assertEquals(timeout, java.time.Duration.parse(functionTimeoutDefault),
                "otp.deadline.function-timeout's default must be the function's Timeout");

        java.time.Duration dynamo = call.get("dynamodb");
        java.time.Duration send = call.get("sns").compareTo(call.get("ses")) >= 0 ? call.get("sns") : call.get("ses");
        java.time.Duration latestStart = dev.otpgate.otp.RequestDeadline.latestStart(timeout, dynamo, send);
        // Before the write: a FORM login (2 UpdateItem) and the user's GetItem, on a good day ~0.2 s in all.
        assertTrue(latestStart.compareTo(java.time.Duration.ofSeconds(1)) >= 0,
                "a normal request must get to the write: it may start until " + latestStart);
        // The validation has no deadline: its worst case (2 UpdateItem, 1 GetItem, 3 TransactWriteItems) must fit.
        assertTrue(dynamo.multipliedBy(6).plusMillis(120 + 500).compareTo(timeout) <= 0, "validation worst case");
        String text = java.nio.file.Files.readString(Path.of("template.yaml"));
        String written = String.format(Locale.ROOT, "%.2f s", latestStart.toMillis() / 1000.0);
        String writeAndSend = String.format(Locale.ROOT, "%.2f s",
                dev.otpgate.otp.RequestDeadline.writeAndSend(dynamo, send).toMillis() / 1000.0);
        assertTrue(text.contains("= " + written) && text.contains("(" + writeAndSend + " at worst)"),
                "template.yaml's budget next to Timeout must say: write and send " + writeAndSend
                        + ", started within the first " + written + " of the request");
    }

    /** "action on resource" for every Deny of the function's policies. */
    static Set<String> denials(Template t) {
        Set<String> out = new TreeSet<>();
        for (Object policy : list(t.resolve(t.properties(t.function()).get("Policies")))) {
            for (Object s : list(map(policy).get("Statement"))) {
                Map<String, Object> statement = map(s);
                if ("Deny".equals(statement.get("Effect"))) {
                    for (Object action : list(statement.get("Action"))) {
                        for (Object resource : list(statement.get("Resource"))) {
                            out.add(action + " on " + resource);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** "action on resource" for every Allow the function's policies grant, with the default parameters. */
    static Set<String> grants(Template t) {
        Set<String> out = new TreeSet<>();
        Object policies = t.resolve(t.properties(t.function()).get("Policies"));
        for (Object policy : list(policies)) {
            assertTrue(policy instanceof Map<?, ?> m && m.containsKey("Statement"),
                    "inline statements only (no managed policy, no SAM policy template: they grant more): " + policy);
            for (Object s : list(map(policy).get("Statement"))) {
                Map<String, Object> statement = map(s);
                if ("Deny".equals(statement.get("Effect"))) {
                    continue; // denials(): they take away, never grant
                }
                assertEquals("Allow", statement.get("Effect"), statement.toString());
                for (Object action : list(statement.get("Action"))) {
                    assertFalse(String.valueOf(action).contains("*"), "no wildcard action: " + action);
                    for (Object resource : list(statement.get("Resource"))) {
                        out.add(action + " on " + resource);
                    }
                }
            }
        }
        return out;
    }

    /** An OtpConfig.Tables whose every accessor answers its own name, so TableSpec says which accessor is which table. */
    static OtpConfig.Tables tableAccessorNames() {
        return (OtpConfig.Tables) Proxy.newProxyInstance(OtpConfig.Tables.class.getClassLoader(),
                new Class<?>[] { OtpConfig.Tables.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "Tables";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> method.getName();
                });
    }

    /** {@code otp.sms.sender-id} or {@code apiKeys} -> {@code OTP_SMS_SENDER_ID} / {@code API_KEYS}, as SmallRye maps them. */
    static String envName(String name) {
        return kebab(name).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    static String kebab(String javaName) {
        return javaName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

}
