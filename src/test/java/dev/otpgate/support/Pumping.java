package dev.otpgate.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import com.github.tomakehurst.wiremock.WireMockServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An organisation of its own with users in many countries, and the requests of its caller (an API key, so
 * that a few hundred requests do not cost a few hundred Argon2id hashes: a TokenID comes only with a 200, and
 * most of these requests are refused): what FraudTest and FraudSimulationTest play with.
 */
public final class Pumping {

    private static final AtomicInteger ORGS = new AtomicInteger();
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    public final String org;
    private final TestData data;
    private final WireMockServer aws;
    private final String apiKey;

    public Pumping(TestData data, DynamoDbClient dynamo, WireMockServer aws, List<String> countries) {
        this(data, dynamo, aws, countries, "f" + ORGS.incrementAndGet() + "-" + System.nanoTime() % 100_000);
    }

    /** The same, with an OrgID of the test's choosing (one an allow-list names). */
    public Pumping(TestData data, DynamoDbClient dynamo, WireMockServer aws, List<String> countries, String org) {
        this.org = org;
        this.data = data;
        this.aws = aws;
        data.caller(org, "google@sum.com", "XXXX@123", null, Set.of("1"));
        // valid past the simulations' moving clock (a day from the next midnight)
        dev.otpgate.auth.ApiKeys.Issued key = new dev.otpgate.auth.ApiKeys().issue(org, "google@sum.com");
        data.callers().addKey(org, "google@sum.com", key.keyId(), key.sha256(), Instant.now().plus(java.time.Duration.ofDays(3)),
                Instant.now());
        this.apiKey = key.key();
        // written directly: the operators' tool checks against its own environment's country list (US,CA), the
        // function against the test profile's
        dynamo.putItem(r -> r.tableName(AwsLocalResource.ORGS).item(Map.of("OrgID", AttributeValue.fromS(org),
                dev.otpgate.dynamo.OrgAttr.SMS_COUNTRIES, AttributeValue.fromSs(countries))));
    }

    /** A valid mobile number of {@code region}, the {@code n}th of them. */
    public static String mobile(String region, int n) {
        PhoneNumber example = PHONES.getExampleNumberForType(region, PhoneNumberType.MOBILE);
        long base = example.getNationalNumber();
        for (int i = 0; i < 10_000; i++) {
            long candidate = base - base % 10_000 + (n * 7L + i) % 10_000;
            PhoneNumber p = new PhoneNumber().setCountryCode(example.getCountryCode()).setNationalNumber(candidate);
            if (PHONES.isValidNumber(p) && region.equals(PHONES.getRegionCodeForNumber(p))) {
                return PHONES.format(p, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        }
        throw new AssertionError("no mobile number for " + region);
    }

    /** A user of this organisation (domain 1) with a mobile number in {@code region}. */
    public String user(String userId, String region, int n) {
        data.callers().putUser(org + "#1", userId, "u" + userId, mobile(region, n), null, null, null);
        return userId;
    }

    /** A user of this organisation (domain 1) with this mobile number (E.164). */
    public String userWithNumber(String userId, String e164) {
        data.callers().putUser(org + "#1", userId, "u" + userId, e164, null, null, null);
        return userId;
    }

    /** ADM_GenerateOTP for user {@code userId}, from {@code sourceIp}. */
    public RawEvents.Answer generate(String sourceIp, String userId) {
        return RawEvents.post(sourceIp, request(userId, "u" + userId, "ADM_GenerateOTP", null, null));
    }

    /** ADM_ValidateOTP of {@code transactionId} for user {@code userId} with {@code code}, from {@code sourceIp}. */
    public RawEvents.Answer validate(String sourceIp, String userId, String transactionId, String code) {
        return RawEvents.post(sourceIp, request(userId, "u" + userId, "ADM_ValidateOTP", transactionId, code));
    }

    /** The code of the last SMS sent. */
    public String lastCode() {
        List<Map<String, String>> sms = Recorded.calls(aws, "Publish");
        String code = Recorded.code(sms.get(sms.size() - 1).get("Message"), 6);
        aws.resetRequests(); // the recorder's journal stays short over a few hundred sends
        return code;
    }

    private String request(String userId, String userName, String service, String transactionId, String code) {
        return Seed.edit(root -> {
            root.put("ServiceName", service);
            ObjectNode proxy = (ObjectNode) root.path("objCommonParameters").path("_ProxyDetails");
            proxy.put("OrgID", org);
            proxy.put("AuthType", "APIKEY").put("APIKey", apiKey);
            proxy.remove(new ArrayList<>(List.of("Password", "UserName")));
            ObjectNode info = (ObjectNode) root.path("objCommonParameters").path("objUserInformation");
            if (transactionId == null) {
                info.put("UserID", userId).put("LoginUID", userId).put("UserName", userName);
            } else {
                root.with("objCommonParameters").replace("objUserInformation", Seed.JSON.createObjectNode()
                        .put("OTP_Text", code).put("TransactionID", transactionId).put("LoginUID", userId));
            }
        });
    }

    /** Sets a counter of the limits table, as that many sends would have. */
    public static void counter(DynamoDbClient dynamo, String key, String attribute, long value) {
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey", AttributeValue.fromS(key)))
                .updateExpression("SET #a = :v, ExpiresAt = :x")
                .expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(value)), ":x",
                        AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() + 86400 * 3)))));
    }

    public static long hour() {
        return Instant.now().getEpochSecond() / 3600;
    }

    public static long day() {
        return Instant.now().getEpochSecond() / 86400;
    }
}
