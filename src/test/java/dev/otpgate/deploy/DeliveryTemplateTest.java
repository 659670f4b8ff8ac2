package dev.otpgate.deploy;

import static dev.otpgate.deploy.Template.list;
import static dev.otpgate.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * template.yaml's End User Messaging part (issue 21, docs/delivery.md): nothing of it unless it is used, then a
 * configuration set whose event destination brings the delivery events back, and a protect configuration whose country
 * rules follow the allowed countries. The IAM grants of the new calls are TemplateTest's (the same scan as every call).
 */
class DeliveryTemplateTest {

    @Test
    void snsStaysTheDefaultAndNothingOfEndUserMessagingIsCreated() {
        Template t = Template.load();
        assertFalse(t.condition("UsesEndUserMessaging"));
        for (String id : List.of("SmsConfigurationSet", "ProtectConfiguration", "DeliveryEventsTopic", "DeliveryEventsTopicPolicy")) {
            assertEquals("UsesEndUserMessaging", t.resource(id).get("Condition"), id + " only when End User Messaging is used");
        }
        Map<String, String> env = t.environment();
        assertEquals("sns", env.get("OTP_SMS_SENDER"));
        assertEquals("", env.get("OTP_END_USER_MESSAGING_CONFIGURATION_SET"), "no configuration set named");
    }

    @Test
    void withEndUserMessagingEverySendNamesTheConfigurationSetWhoseEventsGoToTheTopic() {
        Template t = Template.load(Map.of("SmsSenderService", "end-user-messaging"));
        assertTrue(t.condition("UsesEndUserMessaging"));
        assertEquals("ref:SmsConfigurationSet", t.environment().get("OTP_END_USER_MESSAGING_CONFIGURATION_SET"));
        Map<String, Object> set = map(t.resolve(t.properties("SmsConfigurationSet")));
        assertEquals(Boolean.TRUE, set.get("MessageFeedbackEnabled"));
        assertEquals("attr:ProtectConfiguration.ProtectConfigurationId", set.get("ProtectConfigurationId"));
        List<Object> destinations = list(set.get("EventDestinations"));
        assertEquals(1, destinations.size());
        Map<String, Object> destination = map(destinations.get(0));
        assertEquals(Boolean.TRUE, destination.get("Enabled"));
        assertEquals(List.of("TEXT_ALL", "VOICE_ALL"), destination.get("MatchingEventTypes"));
        assertEquals("ref:DeliveryEventsTopic", map(destination.get("SnsDestination")).get("TopicArn"));
        String policy = t.resolve(t.properties("DeliveryEventsTopicPolicy")).toString();
        assertTrue(policy.contains("sms-voice.amazonaws.com") && policy.contains("aws:SourceAccount"), policy);

        Template voiceOnly = Template.load(Map.of("VoiceOriginationIdentity", "pool-voice"));
        assertTrue(voiceOnly.condition("UsesEndUserMessaging"), "calls need the configuration set too");
    }

    @Test
    void theProtectConfigurationServesTheAllowedCountriesAndBlocksEveryOther() {
        Template t = Template.load(Map.of("SmsSenderService", "end-user-messaging", "SmsAllowedCountries", "GB,DE,NO",
                "ProtectMode", "FILTER"));
        Map<String, Object> rules = map(map(t.resolve(t.properties("ProtectConfiguration"))).get("CountryRuleSet"));
        Map<String, String> sms = rules(rules.get("SMS"));
        Map<String, String> voice = rules(rules.get("VOICE"));
        Set<String> iso = new TreeSet<>(Set.of(Locale.getISOCountries()));
        assertEquals(iso, sms.keySet(), "every country has a rule: one without is ALLOW by default");
        assertEquals(iso, voice.keySet());
        for (String country : iso) {
            boolean served = Set.of("GB", "DE", "NO").contains(country);
            assertEquals(served ? "FILTER" : "BLOCK", sms.get(country), country);
            assertEquals(served ? "ALLOW" : "BLOCK", voice.get(country), country);
        }
        Map<String, String> monitor = rules(map(map(Template.load(Map.of("SmsSenderService", "end-user-messaging"))
                .resolve(t.properties("ProtectConfiguration"))).get("CountryRuleSet")).get("SMS"));
        assertEquals("MONITOR", monitor.get("US"), "the default mode, for the default US,CA");
        assertEquals("BLOCK", monitor.get("GB"));
    }

    @Test
    void theEventsReachTheFunctionThroughAnHttpsSubscriptionToItsEventsPath() {
        Template t = Template.load(Map.of("SmsSenderService", "end-user-messaging"));
        Map<String, Object> subscription = map(t.resolve(t.properties("DeliveryEventsSubscription")));
        assertEquals("ref:DeliveryEventsTopic", subscription.get("TopicArn"));
        assertEquals("https", subscription.get("Protocol"));
        assertEquals("https://ref:OtpApi.execute-api.eu-west-1.amazonaws.com" + dev.otpgate.events.DeliveryEventsEndpoint.PATH,
                subscription.get("Endpoint"));
        assertEquals("UsesEndUserMessaging", t.resource("DeliveryEventsSubscription").get("Condition"));
        assertEquals("ref:DeliveryEventsTopic", t.environment().get("OTP_DELIVERY_EVENTS_TOPIC_ARN"),
                "the function takes messages of this topic only");
        assertEquals("", Template.load().environment().get("OTP_DELIVERY_EVENTS_TOPIC_ARN"), "none without it");
    }

    @Test
    void theDeliveryRateAlarmWatchesEachCountrysDeliveredAverage() {
        Template t = Template.load(Map.of("DeliveryRateAlarmRate", "0.9"));
        Map<String, Object> alarm = map(t.resolve(t.properties("DeliveryRateAlarm")));
        String query = String.valueOf(map(list(alarm.get("Metrics")).get(0)).get("Expression"));
        assertEquals("SELECT AVG(" + dev.otpgate.events.DeliveryMetrics.DELIVERED
                + ") FROM SCHEMA(OtpGate, Country, Function) WHERE Function = 'ref:OtpFunction' GROUP BY Country", query);
        assertEquals("0.9", String.valueOf(alarm.get("Threshold")));
        assertEquals("LessThanThreshold", alarm.get("ComparisonOperator"));
    }

    private static Map<String, String> rules(Object list) {
        Map<String, String> out = new TreeMap<>();
        for (Object rule : list(list)) {
            Map<String, Object> r = map(rule);
            assertEquals(null, out.put(String.valueOf(r.get("CountryCode")), String.valueOf(r.get("ProtectStatus"))),
                    "one rule per country");
        }
        return out;
    }
}
