package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.DynamoOrgStore;
import dev.otpgate.dynamo.OrgAttr;
import dev.otpgate.otp.Channel;
import dev.otpgate.otp.MessageTexts;
import dev.otpgate.otp.OrgSettings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code org put} and {@code org show}: an organisation's settings in otp-orgs (docs/organisations.md).
 * A put reads the item, changes what it names ("" unsets a setting: the deployment's value applies
 * again), checks the result against the deployment's bounds and writes it whole; the function reads it
 * within a minute. The bounds come from the same environment the function has (OTP_CHANNELS,
 * OTP_SMS_ALLOWED_COUNTRIES, OTP_LIMITS_SEND_WINDOW, OTP_FRAUD_SMS_BUDGET_PER_DAY, OTP_FRAUD_EMAIL_BUDGET_PER_DAY;
 * their defaults otherwise).
 */
final class OrgCommands {

    /** Option -> attribute, for the settings that are one value each. */
    static final Map<String, String> SINGLE = Map.ofEntries(Map.entry("channel", OrgAttr.CHANNEL),
            Map.entry("fallback", OrgAttr.FALLBACK), Map.entry("code-length", OrgAttr.CODE_LENGTH),
            Map.entry("validity", OrgAttr.VALIDITY), Map.entry("max-attempts", OrgAttr.MAX_ATTEMPTS),
            Map.entry("failed-guesses-per-hour", OrgAttr.FAILED_GUESSES_PER_HOUR),
            Map.entry("send-cooldown", OrgAttr.SEND_COOLDOWN), Map.entry("sends-per-window", OrgAttr.SENDS_PER_WINDOW),
            Map.entry("send-window", OrgAttr.SEND_WINDOW), Map.entry("sms-sender-id", OrgAttr.SMS_SENDER_ID),
            Map.entry("sms-origination-number", OrgAttr.SMS_ORIGINATION_NUMBER),
            Map.entry("email-sender", OrgAttr.EMAIL_SENDER), Map.entry("default-locale", OrgAttr.DEFAULT_LOCALE),
            Map.entry("channels", OrgAttr.CHANNELS), Map.entry("sms-countries", OrgAttr.SMS_COUNTRIES),
            Map.entry("sms-budget-per-day", OrgAttr.SMS_BUDGET_PER_DAY),
            Map.entry("email-budget-per-day", OrgAttr.EMAIL_BUDGET_PER_DAY));
    private static final Set<String> NUMBERS = Set.of("code-length", "max-attempts", "failed-guesses-per-hour",
            "sends-per-window", "sms-budget-per-day", "email-budget-per-day");
    private static final Set<String> DURATIONS = Set.of("validity", "send-cooldown", "send-window");
    private static final Set<String> LISTS = Set.of("channels", "sms-countries");
    /** The options of one locale's texts: all three together, with --locale. */
    private static final List<String> TEXTS = List.of("sms", "email-subject", "email-body");

    private final DynamoDbClient dynamo;
    private final String table;
    private final OrgSettings.Bounds bounds;
    private final PrintStream out;

    OrgCommands(DynamoDbClient dynamo, String table, OrgSettings.Bounds bounds, PrintStream out) {
        this.dynamo = dynamo;
        this.table = table;
        this.bounds = bounds;
        this.out = out;
    }

    /** The deployment's bounds as the function reads them from its environment. */
    static OrgSettings.Bounds boundsFromEnvironment(Map<String, String> env) {
        Set<Channel> channels = EnumSet.allOf(Channel.class);
        String named = env.get("OTP_CHANNELS");
        if (named != null && !named.isBlank()) {
            channels = EnumSet.noneOf(Channel.class);
            for (String c : named.split(",")) {
                channels.add(Channel.valueOf(c.trim().toUpperCase(Locale.ROOT)));
            }
        }
        Set<String> countries = new LinkedHashSet<>();
        for (String c : env.getOrDefault("OTP_SMS_ALLOWED_COUNTRIES", "US,CA").split(",")) {
            countries.add(c.trim().toUpperCase(Locale.ROOT));
        }
        return new OrgSettings.Bounds(channels, countries, Duration.parse(env.getOrDefault("OTP_LIMITS_SEND_WINDOW", "PT15M")),
                Integer.parseInt(env.getOrDefault("OTP_FRAUD_SMS_BUDGET_PER_DAY", "10000").trim()),
                Integer.parseInt(env.getOrDefault("OTP_FRAUD_EMAIL_BUDGET_PER_DAY", "100000").trim()));
    }

    /** 0 when stored, 1 when a setting is out of bounds (nothing stored). */
    int put(String orgId, Map<String, String> o) {
        Map<String, AttributeValue> item = new HashMap<>(current(orgId));
        item.put(Attr.ORG_ID, s(orgId));
        for (Map.Entry<String, String> option : SINGLE.entrySet()) {
            String value = o.get(option.getKey());
            if (value == null) {
                continue;
            }
            if (value.isEmpty()) {
                item.remove(option.getValue());
            } else {
                item.put(option.getValue(), value(option.getKey(), value.trim()));
            }
        }
        if (o.containsKey("locale") || TEXTS.stream().anyMatch(o::containsKey)) {
            putTexts(item, o);
        }
        List<String> problems = DynamoOrgStore.settings(item).problems(bounds);
        List<String> unreadable = unreadable(item);
        if (!problems.isEmpty() || !unreadable.isEmpty()) {
            out.println("Not stored; out of bounds: " + String.join("; ", concat(unreadable, problems)));
            return 1;
        }
        List<String> oversubscribed = oversubscribed(orgId, item);
        if (!oversubscribed.isEmpty()) {
            out.println("Not stored; over-subscribed: " + String.join("; ", oversubscribed));
            return 1;
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
        out.println("Organisation " + orgId + " saved; in force within a minute");
        return 0;
    }

    /**
     * An organisation's own budget is a reservation (issue 22, finding 8): the organisations' own budgets together
     * stay within the deployment's, per channel, so that none is promised what the deployment cannot send. One scan
     * of otp-orgs (a few attributes an organisation); two operators putting budgets at the same moment can still
     * pass together.
     */
    private List<String> oversubscribed(String orgId, Map<String, AttributeValue> item) {
        Map<String, Integer> deployment = Map.of(OrgAttr.SMS_BUDGET_PER_DAY, bounds.smsBudgetPerDay(),
                OrgAttr.EMAIL_BUDGET_PER_DAY, bounds.emailBudgetPerDay());
        if (deployment.keySet().stream().noneMatch(item::containsKey)) {
            return List.of();
        }
        Map<String, Long> others = new HashMap<>();
        dynamo.scanPaginator(r -> r.tableName(table).projectionExpression("#o, #s, #e").expressionAttributeNames(
                Map.of("#o", Attr.ORG_ID, "#s", OrgAttr.SMS_BUDGET_PER_DAY, "#e", OrgAttr.EMAIL_BUDGET_PER_DAY)))
                .items().stream().filter(other -> !orgId.equals(other.get(Attr.ORG_ID).s()))
                .forEach(other -> deployment.keySet().forEach(a -> others.merge(a, Attr.number(other, a), Long::sum)));
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, String> option : Map.of("sms-budget-per-day", OrgAttr.SMS_BUDGET_PER_DAY,
                "email-budget-per-day", OrgAttr.EMAIL_BUDGET_PER_DAY).entrySet()) {
            if (!item.containsKey(option.getValue())) {
                continue;
            }
            long taken = others.getOrDefault(option.getValue(), 0L);
            long wanted = Attr.number(item, option.getValue());
            long whole = deployment.get(option.getValue());
            if (taken + wanted > whole) {
                out.add(option.getKey() + ": the other organisations' own budgets hold " + taken + " of the deployment's "
                        + whole + "; at most " + Math.max(0, whole - taken) + " is left");
            }
        }
        return out;
    }

    int show(String orgId) {
        Map<String, AttributeValue> item = current(orgId);
        if (item.isEmpty()) {
            out.println("Organisation " + orgId + " has no settings: the deployment's configuration applies");
            return 0;
        }
        out.println("Organisation " + orgId + " (a setting not listed is the deployment's):");
        Map<String, String> sorted = new TreeMap<>();
        SINGLE.forEach((option, attribute) -> {
            AttributeValue v = item.get(attribute);
            if (v != null) {
                sorted.put(option, v.hasSs() ? String.join(",", v.ss()) : v.bool() != null ? v.bool().toString()
                        : v.n() != null ? v.n() : v.s());
            }
        });
        sorted.forEach((k, v) -> out.println("  " + k + ": " + v));
        DynamoOrgStore.settings(item).templates().forEach((tag, t) -> out.println("  texts " + tag + ": " + t));
        return 0;
    }

    private Map<String, AttributeValue> current(String orgId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Map.of(Attr.ORG_ID, s(orgId)))
                .consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private static void putTexts(Map<String, AttributeValue> item, Map<String, String> o) {
        String tag = o.get("locale");
        if (tag == null || tag.isBlank() || !TEXTS.stream().allMatch(o::containsKey)) {
            throw new IllegalArgumentException("A locale's texts need --locale TAG --sms T --email-subject S --email-body B");
        }
        Map<String, AttributeValue> texts = new HashMap<>();
        AttributeValue stored = item.get(OrgAttr.TEMPLATES);
        if (stored != null && stored.hasM()) {
            texts.putAll(stored.m());
        }
        texts.put(tag.trim(), AttributeValue.fromM(Map.of(
                OrgAttr.SMS, s(unescape(o.get("sms"))),
                OrgAttr.EMAIL_SUBJECT, s(o.get("email-subject")),
                OrgAttr.EMAIL_BODY, s(unescape(o.get("email-body"))))));
        item.put(OrgAttr.TEMPLATES, AttributeValue.fromM(texts));
    }

    /** A shell argument cannot easily hold a line break: "\n" stands for one. */
    private static String unescape(String text) {
        return text.replace("\\n", "\n");
    }

    private static AttributeValue value(String option, String value) {
        if (option.equals("fallback")) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--fallback must be true or false");
            }
            return AttributeValue.fromBool(Boolean.parseBoolean(value));
        }
        if (option.equals("channel")) {
            return s(value.toUpperCase(Locale.ROOT));
        }
        if (NUMBERS.contains(option)) {
            if (!value.matches(option.endsWith("budget-per-day") ? "\\d{1,9}" : "\\d{1,4}")) {
                throw new IllegalArgumentException("--" + option + " must be a whole number");
            }
            return AttributeValue.fromN(value);
        }
        if (DURATIONS.contains(option)) {
            try {
                Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + option + " must be an ISO-8601 duration, such as PT5M");
            }
        }
        if (LISTS.contains(option)) {
            return AttributeValue.fromSs(Arrays.stream(value.split(",")).map(v -> v.trim().toUpperCase(Locale.ROOT))
                    .filter(v -> !v.isEmpty()).distinct().toList());
        }
        return s(value);
    }

    /** Stored values the function could not read (it would ignore them): named, so the operator knows. */
    private static List<String> unreadable(Map<String, AttributeValue> item) {
        AttributeValue channel = item.get(OrgAttr.CHANNEL);
        AttributeValue channels = item.get(OrgAttr.CHANNELS);
        List<String> out = new java.util.ArrayList<>();
        if (channel != null && Channel.parse(channel.s()) == null) {
            out.add("channel: SMS or EMAIL");
        }
        if (channels != null && channels.ss().stream().anyMatch(c -> Channel.parse(c) == null)) {
            out.add("channels: SMS and/or EMAIL");
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
