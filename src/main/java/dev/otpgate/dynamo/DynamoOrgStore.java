package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.MessageTexts;
import dev.otpgate.otp.OrgSettings;
import dev.otpgate.otp.OrgStore;
import dev.otpgate.otp.OtpConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Organisations' settings (otp-orgs, keyed by OrgID): one eventually consistent GetItem, made at most
 * once a minute per organisation per instance (otp/Policies). A value this version cannot read is
 * treated as not set, so a bad item falls back to the deployment instead of failing every request.
 */
@ApplicationScoped
public class DynamoOrgStore implements OrgStore {

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoOrgStore(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.table = config.tables().orgs();
    }

    @Override
    public Optional<OrgSettings> find(String orgId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Map.of(Attr.ORG_ID, s(orgId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(settings(item));
    }

    /** The stored form of settings, as the operators' tool writes them (admin/OrgWrites). */
    public static OrgSettings settings(Map<String, AttributeValue> item) {
        return new OrgSettings(Channel.parse(string(item, OrgAttr.CHANNEL)), channels(item.get(OrgAttr.CHANNELS)),
                item.containsKey(OrgAttr.FALLBACK) ? item.get(OrgAttr.FALLBACK).bool() : null,
                integer(item, OrgAttr.CODE_LENGTH), duration(item, OrgAttr.VALIDITY), integer(item, OrgAttr.MAX_ATTEMPTS),
                integer(item, OrgAttr.FAILED_GUESSES_PER_HOUR), duration(item, OrgAttr.SEND_COOLDOWN),
                integer(item, OrgAttr.SENDS_PER_WINDOW), duration(item, OrgAttr.SEND_WINDOW),
                item.containsKey(OrgAttr.SMS_COUNTRIES) && item.get(OrgAttr.SMS_COUNTRIES).hasSs()
                        ? Set.copyOf(item.get(OrgAttr.SMS_COUNTRIES).ss()) : null,
                string(item, OrgAttr.SMS_SENDER_ID), string(item, OrgAttr.SMS_ORIGINATION_NUMBER),
                string(item, OrgAttr.EMAIL_SENDER), string(item, OrgAttr.DEFAULT_LOCALE), templates(item.get(OrgAttr.TEMPLATES)),
                integer(item, OrgAttr.SMS_BUDGET_PER_DAY), integer(item, OrgAttr.EMAIL_BUDGET_PER_DAY),
                string(item, OrgAttr.SMS_MAX_PRICE));
    }


    private static Set<Channel> channels(AttributeValue value) {
        if (value == null || !value.hasSs()) {
            return null;
        }
        Set<Channel> out = EnumSet.noneOf(Channel.class);
        value.ss().stream().map(Channel::parse).filter(c -> c != null).forEach(out::add);
        return out.isEmpty() ? null : out;
    }

    private static Integer integer(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        try {
            return v == null || v.n() == null ? null : Integer.valueOf(v.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration duration(Map<String, AttributeValue> item, String name) {
        String v = string(item, name);
        try {
            return v == null ? null : Duration.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, MessageTexts.Texts> templates(AttributeValue value) {
        Map<String, MessageTexts.Texts> out = new HashMap<>();
        if (value != null && value.hasM()) {
            value.m().forEach((tag, t) -> {
                if (t.hasM() && string(t.m(), OrgAttr.SMS) != null && string(t.m(), OrgAttr.EMAIL_SUBJECT) != null
                        && string(t.m(), OrgAttr.EMAIL_BODY) != null) {
                    out.put(tag, new MessageTexts.Texts(string(t.m(), OrgAttr.SMS), string(t.m(), OrgAttr.EMAIL_SUBJECT),
                            string(t.m(), OrgAttr.EMAIL_BODY)));
                }
            });
        }
        return out;
    }
}
