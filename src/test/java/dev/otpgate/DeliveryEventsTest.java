package dev.otpgate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.events.DeliveryEventsEndpoint;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Logged;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Delivery events as AWS sends them: End User Messaging's event JSON (docs/delivery.md), inside an SNS HTTPS
 * Notification signed with SignatureVersion 2, posted to the function's events path. A test key and certificate
 * (src/test/resources/sns, made for these tests only) stand in for SNS's; the recorder serves the certificate.
 */
@QuarkusTest
@TestProfile(DeliveryEventsTest.Events.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class DeliveryEventsTest extends FunctionTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:otp-gate-DeliveryEventsTopic-1";
    static final String CERT_PATH = "/SimpleNotificationService-test.pem";

    public static class Events implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.sms.sender", "end-user-messaging",
                    "otp.end-user-messaging.configuration-set", "otp-gate-test",
                    "otp.delivery-events.topic-arn", TOPIC,
                    // the recorder plays SNS's certificate and subscription URLs (https://sns.<region>.amazonaws.com in AWS)
                    "otp.delivery-events.sns-url-pattern", "^http://localhost:[0-9]+/.*");
        }
    }

    @BeforeEach
    void snsServesItsCertificate() {
        aws.stubFor(get(urlPathEqualTo(CERT_PATH)).willReturn(aResponse().withStatus(200).withBody(resource("sns/test-signing-cert.pem"))));
        aws.stubFor(get(urlPathEqualTo("/confirm")).willReturn(aResponse().withStatus(200).withBody("<ConfirmSubscriptionResponse/>")));
    }

    @Test
    void aDeliveredEventIsRecordedOnTheTransactionAndTheUsersLastSendAndCountedByCountry() {
        Sent sent = generate();
        try (Logged metrics = Logged.on(dev.otpgate.ops.CallLog.CATEGORY)) {
            post(notification(event("TEXT_DELIVERED", sent, true, 2_000))).then().statusCode(200);
            assertEquals("TEXT_DELIVERED", data.transaction(sent.transactionId).get("LastOutcome").s());
            Map<String, AttributeValue> last = lastSend();
            assertEquals(sent.transactionId, last.get("LastSend").s());
            assertEquals("TEXT_DELIVERED", last.get("LastSendOutcome").s());
            if (!packaged()) { // the packaged function logs in its own process
                JsonNode line = metricsLine(metrics.all());
                assertEquals("US", line.path("Country").asText());
                assertEquals("TEXT_DELIVERED", line.path("Event").asText());
                assertEquals(1, line.path("DeliveryEvents").asInt());
                assertEquals(1, line.path("Delivered").asInt(), "a final delivery counts 1 in the country's delivery rate");
                assertFalse(line.toString().contains("4219"), "never the number");
            }
        }
        Operator.Run shown = Operator.run(data.dynamo(), "", "user", "show", "--org", "1", "--domain", "1", "--user", "967");
        assertTrue(shown.out().contains("last send in this region: TEXT_DELIVERED"), shown.out() + shown.err());
    }

    /**
     * otp-users is a global table that operators write (last writer wins per item, docs/regions.md): an event's write
     * on a user's item there, in one region within the lag of an operator's `user remove` or `user put` in the other,
     * would bring the erased user or their old number back. The last send goes to the region's otp-limits instead.
     */
    @Test
    void anEventWritesTheRegionsLimitsAndLeavesTheReplicatedUserItemAsItWas() {
        Map<String, AttributeValue> before = seedUser(); // as the operator wrote it: neither the send nor its event writes it
        Sent sent = generate();
        AwsCallCounter.reset();
        post(notification(event("TEXT_DELIVERED", sent, true, 2_000))).then().statusCode(200);
        assertEquals(before, seedUser(), "the user's directory item, byte for byte");
        assertEquals(java.util.List.of("DynamoDb.UpdateItem " + AwsLocalResource.TRANSACTIONS,
                "DynamoDb.UpdateItem " + AwsLocalResource.LIMITS), AwsCallCounter.callsWithTables(),
                "two calls per event, none on " + AwsLocalResource.USERS);
        Operator.Run shown = Operator.run(data.dynamo(), "", "user", "show", "--org", "1", "--domain", "1", "--user", "967");
        assertTrue(shown.out().contains("last send in this region: TEXT_DELIVERED"), shown.out() + shown.err());
        assertTrue(shown.out().contains("transaction " + sent.transactionId), shown.out());
        // erased with the user's other limit items
        Operator.Run removed = Operator.run(data.dynamo(), "", "user", "remove", "--org", "1", "--domain", "1", "--user", "967");
        assertEquals(0, removed.status(), removed.out() + removed.err());
        assertTrue(lastSend().isEmpty(), "the last send erased by `user remove`");
    }

    @Test
    void aLaterEventWinsAndAnOlderOneArrivingAfterItChangesNothing() {
        Sent sent = generate();
        post(notification(event("TEXT_PENDING", sent, false, 1_000))).then().statusCode(200);
        try (Logged metrics = Logged.on(dev.otpgate.ops.CallLog.CATEGORY)) {
            post(notification(event("TEXT_CARRIER_UNREACHABLE", sent, true, 3_000))).then().statusCode(200);
            if (!packaged()) {
                assertEquals(0, metricsLine(metrics.all()).path("Delivered").asInt(), "a final failure counts 0");
            }
        }
        post(notification(event("TEXT_SUCCESSFUL", sent, false, 2_000))).then().statusCode(200);
        assertEquals("TEXT_CARRIER_UNREACHABLE", data.transaction(sent.transactionId).get("LastOutcome").s());
        assertEquals("TEXT_CARRIER_UNREACHABLE", lastSend().get("LastSendOutcome").s());
    }

    @Test
    void eventsThatAreNotThisDeploymentsOwnChangeNothing() {
        Sent sent = generate();
        // another organisation's OrgID in the Context, a MessageId the send did not get, a transaction that does not exist
        ObjectNode otherOrg = event("TEXT_DELIVERED", sent, true, 2_000);
        ((ObjectNode) otherOrg.get("context")).put("OrgID", "2");
        post(notification(otherOrg)).then().statusCode(200);
        post(notification(event("TEXT_DELIVERED", new Sent(sent.transactionId, "someone-elses-message"), true, 2_000)))
                .then().statusCode(200);
        post(notification(event("TEXT_DELIVERED", new Sent(UUID.randomUUID().toString(), sent.messageId), true, 2_000)))
                .then().statusCode(200);
        // another configuration set's topic, validly signed
        ObjectNode otherTopic = notification(event("TEXT_DELIVERED", sent, true, 2_000));
        otherTopic.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:another-configuration-set");
        post(sign(otherTopic)).then().statusCode(403);
        // this topic, but not signed by its key
        ObjectNode forged = notification(event("TEXT_DELIVERED", sent, true, 2_000));
        forged.put("Message", forged.get("Message").asText().replace("TEXT_DELIVERED", "TEXT_BLOCKED"));
        post(forged).then().statusCode(403);
        // a certificate that is not SNS's
        ObjectNode ownCert = notification(event("TEXT_DELIVERED", sent, true, 2_000));
        ownCert.put("SigningCertURL", "https://attacker.example/cert.pem");
        post(sign(ownCert)).then().statusCode(403);

        assertNull(data.transaction(sent.transactionId).get("LastOutcome"), "nothing recorded");
        assertTrue(lastSend().isEmpty(), "no last send recorded");
    }

    @Test
    void aMalformedEventIsLoggedAndDroppedNotRetried() {
        Sent sent = generate();
        try (Logged logged = Logged.on(DeliveryEventsEndpoint.class.getName())) {
            ObjectNode noContext = event("TEXT_DELIVERED", sent, true, 2_000);
            noContext.remove("context");
            post(notification(noContext)).then().statusCode(200);
            ObjectNode n = notification(event("TEXT_DELIVERED", sent, true, 2_000));
            n.put("Message", "{not json");
            post(sign(n)).then().statusCode(200);
            given().contentType("text/plain").body("not even an SNS message").post(DeliveryEventsEndpoint.PATH).then()
                    .statusCode(400);
            assertTrue(packaged() || logged.all().contains("malformed End User Messaging event, dropped"), logged.all());
        }
        assertNull(data.transaction(sent.transactionId).get("LastOutcome"));
    }

    @Test
    void theSubscriptionIsConfirmedAtSnsOwnUrlOnly() {
        ObjectNode confirmation = Seed.JSON.createObjectNode().put("Type", "SubscriptionConfirmation")
                .put("MessageId", UUID.randomUUID().toString()).put("Token", "t0k3n").put("TopicArn", TOPIC)
                .put("Message", "You have chosen to subscribe to the topic " + TOPIC)
                .put("SubscribeURL", aws.baseUrl() + "/confirm?Action=ConfirmSubscription&Token=t0k3n")
                .put("Timestamp", "2026-12-07T13:00:00.000Z");
        post(sign(confirmation)).then().statusCode(200);
        aws.verify(1, getRequestedFor(urlPathEqualTo("/confirm")));
        ObjectNode elsewhere = confirmation.deepCopy();
        elsewhere.put("SubscribeURL", "https://attacker.example/confirm");
        post(sign(elsewhere)).then().statusCode(503);
        aws.verify(1, getRequestedFor(urlPathEqualTo("/confirm")));
    }

    // ---- an End User Messaging send, its events, SNS's envelope

    record Sent(String transactionId, String messageId) {
    }

    private Sent generate() {
        Response r = Flows.post(Seed.request());
        r.then().statusCode(200);
        String transactionId = r.path("OutputObject.OTP_Communication[0].TransactionID");
        return new Sent(transactionId, data.transaction(transactionId).get("MessageId").s());
    }

    /** End User Messaging's SMS event, as its documentation shows it, for this send. */
    private static ObjectNode event(String type, Sent sent, boolean isFinal, long millisAfterNow) {
        long now = System.currentTimeMillis();
        ObjectNode e = Seed.JSON.createObjectNode().put("eventType", type).put("eventVersion", "1.0")
                .put("eventTimestamp", now + millisAfterNow).put("isFinal", isFinal)
                .put("originationPhoneNumber", "+12065550152").put("destinationPhoneNumber", "+14155554219")
                .put("isInternationalSend", false).put("mcc", "310").put("mnc", "800").put("messageId", sent.messageId)
                .put("messageRequestTimestamp", now).put("messageEncoding", "GSM").put("messageType", "TRANSACTIONAL")
                .put("messageStatus", type.replace("TEXT_", "")).put("messageStatusDescription", "test")
                .put("totalMessageParts", 1).put("totalMessagePrice", 0.00581).put("totalCarrierFee", 0.0);
        e.putObject("context").put("TransactionID", sent.transactionId).put("OrgID", "1");
        return e;
    }

    /** An SNS HTTPS Notification carrying the event, signed (SignatureVersion 2). */
    private ObjectNode notification(ObjectNode event) {
        ObjectNode n = Seed.JSON.createObjectNode().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", TOPIC).put("Message", event.toString()).put("Timestamp", "2026-12-07T13:00:00.000Z")
                .put("SignatureVersion", "2").put("SigningCertURL", aws.baseUrl() + CERT_PATH)
                .put("UnsubscribeURL", aws.baseUrl() + "/unsubscribe");
        return sign(n);
    }

    /** Signs as SNS does: "Name\nvalue\n" for each field SNS documents for the type, in order. */
    private ObjectNode sign(ObjectNode message) {
        message.put("SignatureVersion", "2");
        if (!message.has("SigningCertURL")) {
            message.put("SigningCertURL", aws.baseUrl() + CERT_PATH);
        }
        String[] fields = "Notification".equals(message.path("Type").asText())
                ? new String[] { "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type" }
                : new String[] { "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type" };
        StringBuilder canonical = new StringBuilder();
        for (String f : fields) {
            if (message.has(f)) {
                canonical.append(f).append('\n').append(message.get(f).asText()).append('\n');
            }
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey());
            s.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            message.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return message;
    }

    private static Response post(ObjectNode message) {
        return given().contentType("text/plain; charset=UTF-8").body(message.toString()).post(DeliveryEventsEndpoint.PATH);
    }

    private Map<String, AttributeValue> seedUser() {
        return data.dynamo().getItem(g -> g.tableName(AwsLocalResource.USERS).key(Map.of("DomainId",
                AttributeValue.fromS("1"), "UserID", AttributeValue.fromS("967")))).item();
    }

    /** The seed user's last send, on its item of the region's otp-limits. */
    private Map<String, AttributeValue> lastSend() {
        return data.dynamo().getItem(g -> g.tableName(AwsLocalResource.LIMITS).key(Map.of("LimitKey",
                AttributeValue.fromS("lastsend#1#967"))).consistentRead(true)).item();
    }

    private static JsonNode metricsLine(String logged) {
        for (String l : logged.split("\n")) {
            int brace = l.indexOf("{\"Function\"");
            if (brace >= 0 && l.contains("\"DeliveryEvents\"")) {
                return Seed.tree(l.substring(brace));
            }
        }
        throw new AssertionError("no delivery metrics line in: " + logged);
    }

    private static PrivateKey privateKey() throws java.security.GeneralSecurityException {
        String pem = new String(resource("sns/test-signing-key.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static byte[] resource(String name) {
        try (InputStream in = DeliveryEventsTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
