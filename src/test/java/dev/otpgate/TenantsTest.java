package dev.otpgate;

import static dev.otpgate.support.Flows.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.auth.ApiKeys;
import dev.otpgate.otp.OrgKeys;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 10: one deployment, many organisations. Each test makes an organisation of its own (the
 * policy cache lives a minute, so tests must not share one), with the seed's caller name and the seed
 * user's ids, next to the legacy organisation "1" that the seed's request reaches.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class TenantsTest extends FunctionTest {

    static final AtomicInteger ORGS = new AtomicInteger();
    static final String UNKNOWN_USER = "No user matches DomainId, UserID and UserName";

    @Inject
    DynamoDbClient dynamo;

    /** This test's own organisation: a caller google@sum.com / XXXX@123 with a grant on domain 1, and user 1/967. */
    String org;

    @BeforeEach
    void anOrganisationOfItsOwn() {
        org = "t" + ORGS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        data.caller(org, "google@sum.com", "XXXX@123", null, Set.of("1"));
        user("967", "+14155550199", "abcd@zwei.example", null, null);
    }

    @AfterEach
    void realTime() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    // ---- isolation: every cross-org attempt gets the unknown user's or transaction's answer, sends and counts nothing

    @Test
    void aGrantNamingDomainOneReachesOnlyTheCallersOwnDomainOne() {
        data.user("1", "968", "legacy", "+14155554220", null); // only in the legacy organisation
        String before = data.everythingButLastLogins();
        assertNothingHappened(post(request(org, "968", "legacy")), 404, UNKNOWN_USER);
        assertNothingHappened(post(request("1", "968", "legacy", p -> p.put("OrgID", org))), 404, UNKNOWN_USER);
        assertEquals(before, data.everythingButLastLogins(), "nothing counted, nothing stored");
    }

    @Test
    void aCallerNamingAnotherOrgIdActsNowhere() {
        String token = post(request(org, "967", "abcd")).then().statusCode(200).extract().path("TokenID");
        AwsLocalResource.stubProvidersUp(aws);
        data.clearLimits();
        AwsCallCounter.reset();
        String before = data.everything();
        assertNothingHappened(post(withProxy(Seed.request(), p -> p.put("TokenID", token).put("OrgID", "1")
                .remove(List.of("Password", "AuthType", "UserName")))), 404, UNKNOWN_USER);
        ApiKeys.Issued key = new ApiKeys().issue(org, "google@sum.com");
        assertTrue(data.callers().addKey(org, "google@sum.com", key.keyId(), key.sha256(), Instant.now().plusSeconds(600),
                Instant.now()));
        assertNothingHappened(post(withProxy(Seed.request(), p -> p.put("AuthType", "APIKEY").put("APIKey", key.key())
                .put("OrgID", "1").remove(List.of("Password", "UserName")))), 404, UNKNOWN_USER);
        assertEquals(before, data.everything(), "nothing counted, nothing stored");
        // the same key in its own organisation works
        post(withProxy(request(org, "967", "abcd"), p -> p.put("AuthType", "APIKEY").put("APIKey", key.key())
                .remove(List.of("Password", "UserName")))).then().statusCode(200);
    }

    @Test
    void anotherOrganisationCannotValidateOrSpendACode() {
        Flows.Issued legacy = Flows.generate(aws); // org 1, the seed's request
        Response theirs = post(validation(org, legacy.transactionId(), legacy.code()));
        theirs.then().statusCode(404).body("Errors", equalTo("Unknown TransactionID for this LoginUID"));
        Response wrong = post(validation(org, legacy.transactionId(), Flows.wrong(legacy.code())));
        assertEquals(theirs.asString(), wrong.asString(), "right or wrong, the same answer");
        assertEquals("5", data.transaction(legacy.transactionId()).get("AttemptsLeft").n(), "nothing counted");
        Flows.validate(legacy.transactionId(), "967", legacy.code()).then().statusCode(200);
    }

    @Test
    void theSameIdsInTwoOrganisationsAreTwoUsersWithTheirOwnLimits() {
        post(Seed.request()).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ********4219"));
        post(request(org, "967", "abcd")).then().statusCode(200) // no cooldown: another user, another number
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ********0199"));
        post(request(org, "967", "abcd")).then().statusCode(429); // its own cooldown holds
        List<Map<String, String>> sms = Recorded.calls(aws, "Publish");
        assertEquals(List.of("+14155554219", "+14155550199"), sms.stream().map(m -> m.get("PhoneNumber")).toList());
        String limits = data.everything();
        assertTrue(limits.contains("LimitKey=AttributeValue(S=user#" + org + "#1#967)"), "the org's keys are its own");
        assertTrue(limits.contains("LimitKey=AttributeValue(S=user#1#967)"), "the legacy org keeps its keys");
    }

    @Test
    void dataWrittenBeforeOrganisationsBelongsToTheLegacyOrganisation() {
        Flows.Issued old = Flows.generate(aws);
        // As the function wrote transactions before this change: no OrgID, no CodeLength.
        dynamo.updateItem(r -> r.tableName(AwsLocalResource.TRANSACTIONS)
                .key(Map.of("TransactionID", AttributeValue.fromS(old.transactionId())))
                .updateExpression("REMOVE OrgID, CodeLength"));
        post(validation(org, old.transactionId(), old.code())).then().statusCode(404);
        Flows.validate(old.transactionId(), "967", old.code()).then().statusCode(200);
    }

    // ---- per-organisation configuration, in force within a minute

    @Test
    void anOrganisationsSettingsApplyWithinAMinuteOfAPut() {
        post(request(org, "967", "abcd")).then().statusCode(200); // the deployment's: SMS, 6 digits
        assertEquals(1, Recorded.calls(aws, "Publish").size());
        admin("org", "put", "--org", org, "--channel", "EMAIL", "--code-length", "8", "--validity", "PT10M",
                "--email-sender", "Zwei <otp@zwei.example>", "--send-cooldown", "PT0S");
        later(Duration.ofSeconds(61));
        Response r = post(request(org, "967", "abcd"));
        r.then().statusCode(200).body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ab***@zw***.example"));
        Map<String, String> mail = Recorded.calls(aws, "SendEmail").get(0);
        assertEquals("Zwei <otp@zwei.example>", mail.get("Source"));
        String code = Recorded.code(mail.get("Message.Body.Text.Data"), 8);
        assertTrue(mail.get("Message.Body.Text.Data").contains("10 minutes"));
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        var stored = data.transaction(transactionId);
        assertEquals("8", stored.get("CodeLength").n());
        assertEquals(Long.parseLong(stored.get("CreatedAt").n()) + 600, Long.parseLong(stored.get("ExpiresAt").n()));
        post(validation(org, transactionId, code.substring(0, 6))).then().statusCode(400)
                .body("Errors", equalTo("OTP_Text must be 8 digits"));
        post(validation(org, transactionId, code)).then().statusCode(200);
        // the legacy organisation is untouched
        post(Seed.request()).then().statusCode(200);
        assertEquals(2, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void aSettingIsReadOnceAMinuteNotPerRequest() {
        admin("org", "put", "--org", org, "--send-cooldown", "PT0S", "--sends-per-window", "20");
        AwsCallCounter.reset();
        for (int i = 0; i < 3; i++) {
            post(request(org, "967", "abcd")).then().statusCode(200);
        }
        assertEquals(1, AwsCallCounter.orgReads(), "one read for three requests");
        admin("org", "put", "--org", org, "--channel", "EMAIL");
        AwsCallCounter.reset(); // the tool's own read and write
        post(request(org, "967", "abcd")).then().statusCode(200);
        assertEquals(4, Recorded.calls(aws, "Publish").size(), "still SMS: the minute has not passed");
        assertEquals(0, AwsCallCounter.orgReads());
        later(Duration.ofSeconds(61));
        post(request(org, "967", "abcd")).then().statusCode(200);
        assertEquals(1, AwsCallCounter.orgReads());
        assertEquals(1, Recorded.calls(aws, "SendEmail").size(), "now e-mail");
    }

    @Test
    void settingsOutOfTheDeploymentsBoundsAreRefusedAndNothingIsStored() {
        Operator.Run weak = Operator.run(dynamo, "", "org", "put", "--org", org, "--code-length", "4");
        assertEquals(1, weak.status(), weak.out() + weak.err());
        assertTrue(weak.out().contains("code-length: 6 to 10 digits"), weak.out());
        Operator.Run country = Operator.run(dynamo, "", "org", "put", "--org", org, "--sms-countries", "US,NG");
        assertEquals(1, country.status());
        assertTrue(country.out().contains("sms-countries"), country.out());
        assertTrue(Operator.run(dynamo, "", "org", "show", "--org", org).out().contains("has no settings"));
    }

    // ---- the user's channel, the fallback, the language

    @Test
    void aUserWhoPrefersEmailGetsEmailWhereTheOrganisationAllowsIt() {
        user("970", "+14155550170", "pref@zwei.example", "EMAIL", null);
        post(request(org, "970", "u970")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to pr***@zw***.example"));
        admin("org", "put", "--org", org, "--channels", "SMS");
        later(Duration.ofSeconds(61));
        data.endCooldowns();
        post(request(org, "970", "u970")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ********0170"));
        assertEquals(1, Recorded.calls(aws, "SendEmail").size());
        assertEquals(1, Recorded.calls(aws, "Publish").size());
    }

    @Test
    void withoutANumberOrInANonAllowedCountryTheCodeFallsBackToEmailOnlyWhereTheOrgSaysSo() {
        user("971", null, "nomobile@zwei.example", null, null);
        user("972", "+442079460000", "uk@zwei.example", null, null); // GB: not on the deployment's US,CA list
        post(request(org, "971", "u971")).then().statusCode(422)
                .body("Errors", equalTo("The user has no mobile number to send the OTP to"));
        post(request(org, "972", "u972")).then().statusCode(422)
                .body("Errors", equalTo("SMS to the user's country is not enabled"));
        admin("org", "put", "--org", org, "--fallback", "true");
        later(Duration.ofSeconds(61));
        post(request(org, "971", "u971")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to no***@zw***.example"));
        post(request(org, "972", "u972")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to uk***@zw***.example"));
        assertEquals(0, Recorded.calls(aws, "Publish").size(), "one code, one send: never both");
        assertEquals(2, Recorded.calls(aws, "SendEmail").size());
    }

    /** Issue 21: an organisation opts into calls; a landline it could not text before then gets one call and no SMS. */
    @Test
    void anOrganisationThatAllowsVoiceCallsALandlineItCouldNotText() {
        String notMobile = "The user's phone number cannot receive SMS: it is not a mobile number";
        user("976", "+493012345678", null, null, null); // a Berlin landline, no e-mail
        post(request(org, "976", "u976")).then().statusCode(422).body("Errors", equalTo(notMobile));
        assertEquals(0, Recorded.all(aws), "calls are opted into: nothing sent");
        admin("org", "put", "--org", org, "--channels", "SMS,VOICE,EMAIL");
        later(Duration.ofSeconds(61));
        post(request(org, "976", "u976")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ********5678"));
        assertEquals(0, Recorded.calls(aws, "Publish").size(), "no SMS");
        assertEquals(0, Recorded.endUserMessaging(aws, "SendTextMessage").size());
        List<com.fasterxml.jackson.databind.JsonNode> calls = Recorded.endUserMessaging(aws, "SendVoiceMessage");
        assertEquals(1, calls.size(), "one call");
        assertEquals("+493012345678", calls.get(0).path("DestinationPhoneNumber").asText());
        assertEquals(Map.of("TransactionID", data.currentTransactionId(org + "#1", "976"), "OrgID", org),
                Seed.JSON.convertValue(calls.get(0).path("Context"), Map.class));
    }

    @Test
    void premiumRateAndTollFreeNumbersGetNoSmsAndFallBackToEmailOnlyWhereTheOrgSaysSo() {
        String notMobile = "The user's phone number cannot receive SMS: it is not a mobile number";
        user("973", "+19002345678", null, null, null); // US premium rate, no e-mail
        user("974", "+18002345678", "free@zwei.example", null, null); // US toll-free, an e-mail
        post(request(org, "973", "u973")).then().statusCode(422).body("Errors", equalTo(notMobile));
        post(request(org, "974", "u974")).then().statusCode(422).body("Errors", equalTo(notMobile));
        assertEquals(0, Recorded.all(aws), "nothing sent");
        admin("org", "put", "--org", org, "--fallback", "true");
        later(Duration.ofSeconds(61));
        post(request(org, "974", "u974")).then().statusCode(200)
                .body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to fr***@zw***.example"));
        post(request(org, "973", "u973")).then().statusCode(422).body("Errors", equalTo(notMobile));
        assertEquals(0, Recorded.calls(aws, "Publish").size(), "never an SMS to a premium or toll-free number");
        assertEquals(1, Recorded.calls(aws, "SendEmail").size());
    }

    @Test
    void storedTextsOutOfBoundsAreIgnoredAndNeverReachAMailHeader() {
        // as a hand edit or an older tool could have stored them: the function's own read holds the bounds too
        Map<String, AttributeValue> en = Map.of("Sms", AttributeValue.fromS("Code %1$s"),
                "EmailSubject", AttributeValue.fromS("Code\r\nBcc: victim@evil.example"),
                "EmailBody", AttributeValue.fromS("Code %1$s"));
        dynamo.putItem(r -> r.tableName(AwsLocalResource.ORGS).item(Map.of("OrgID", AttributeValue.fromS(org),
                "Channel", AttributeValue.fromS("EMAIL"),
                "EmailSender", AttributeValue.fromS("Zwei <otp@zwei.example>\r\nBcc: victim@evil.example"),
                "Templates", AttributeValue.fromM(Map.of("en", AttributeValue.fromM(en))))));
        post(request(org, "967", "abcd")).then().statusCode(200);
        Map<String, String> mail = Recorded.calls(aws, "SendEmail").get(0);
        assertEquals("no-reply@example.com", mail.get("Source"), "the deployment's sender");
        assertEquals("Your verification code", mail.get("Message.Subject.Data"), "the deployment's subject");
        assertFalse(mail.toString().contains("evil"), mail.toString());
    }

    @Test
    void whenTheSmsProviderRefusesTheSameCodeGoesByEmail() {
        admin("org", "put", "--org", org, "--fallback", "true");
        aws.resetAll();
        AwsLocalResource.stubProvidersUp(aws);
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/")
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=Publish"))
                .atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
                                + "<Message>Invalid parameter: PhoneNumber</Message></Error><RequestId>x</RequestId></ErrorResponse>")));
        Response r = post(request(org, "967", "abcd"));
        r.then().statusCode(200).body("OutputObject.OTP_Communication[0].Message", equalTo("OTP sent to ab***@zw***.example"));
        assertEquals(1, Recorded.calls(aws, "Publish").size(), "refused, so nothing went out");
        String code = Recorded.code(Recorded.calls(aws, "SendEmail").get(0).get("Message.Body.Text.Data"), 6);
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        assertEquals("EMAIL", data.transaction(transactionId).get("Channel").s());
        post(validation(org, transactionId, code)).then().statusCode(200);
    }

    @Test
    void aGermanSpeakingUserReadsGerman() {
        user("973", "+14155550173", "de@zwei.example", null, "de-DE");
        post(request(org, "973", "u973")).then().statusCode(200);
        String sms = Recorded.calls(aws, "Publish").get(0).get("Message");
        assertTrue(sms.startsWith("Ihr Bestätigungscode lautet "), sms);
        admin("org", "put", "--org", org, "--locale", "de", "--sms", "Zwei-Code: %1$s (%2$d Min.)",
                "--email-subject", "Ihr Code", "--email-body", "Code: %1$s\\nGültig %2$d Minuten.");
        later(Duration.ofSeconds(61));
        data.endCooldowns();
        post(request(org, "973", "u973")).then().statusCode(200);
        assertTrue(Recorded.calls(aws, "Publish").get(1).get("Message").matches("Zwei-Code: \\d{6} \\(5 Min\\.\\)"),
                "the organisation's own German text beats the shipped one");
    }

    // ---- helpers

    void user(String userId, String mobile, String email, String prefer, String locale) {
        data.callers().putUser(new OrgKeys(OrgKeys.DEFAULT_LEGACY_ORG).scoped(org, "1"), userId,
                userId.equals("967") ? "abcd" : "u" + userId, mobile, email, prefer, locale);
    }

    void admin(String... args) {
        Operator.Run run = Operator.run(dynamo, "", args);
        assertEquals(0, run.status(), run.out() + run.err());
    }

    /** The function's clock moved ahead, as if that much time had passed. */
    static void later(Duration by) {
        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), by), Clock.class);
    }

    /** The seed's request, in organisation {@code orgId}, for user 1/{@code userId}. */
    static String request(String orgId, String userId, String userName) {
        return request(orgId, userId, userName, p -> {
        });
    }

    static String request(String orgId, String userId, String userName, Consumer<ObjectNode> proxyEdit) {
        return Seed.edit(root -> {
            ObjectNode proxy = (ObjectNode) root.path("objCommonParameters").path("_ProxyDetails");
            proxy.put("OrgID", orgId);
            proxyEdit.accept(proxy);
            ((ObjectNode) root.path("objCommonParameters").path("objUserInformation")).put("UserID", userId)
                    .put("LoginUID", userId).put("UserName", userName);
        });
    }

    static String withProxy(String request, Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) Seed.tree(request);
        edit.accept((ObjectNode) root.path("objCommonParameters").path("_ProxyDetails"));
        return root.toString();
    }

    static String validation(String orgId, String transactionId, String code) {
        return withProxy(Flows.validateRequest(transactionId, "967", code), p -> p.put("OrgID", orgId));
    }

    void assertNothingHappened(Response r, int status, String errors) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(errors, r.path("Errors"));
        assertEquals(0, Recorded.all(aws), "nothing sent");
        assertFalse(AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS).contains("DynamoDb.TransactWriteItems"),
                "nothing counted (apart from authenticating the caller)");
    }
}
