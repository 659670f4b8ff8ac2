package dev.otpgate.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.otpgate.admin.CallerWrites;
import dev.otpgate.auth.PasswordHasher;
import dev.otpgate.local.DynamoDbLocalServer;
import dev.otpgate.dynamo.TableSpec;
import dev.otpgate.local.LocalTables;
import dev.otpgate.local.SetUpClient;
import dev.otpgate.otp.OtpConfig;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real parts the tests run against: DynamoDB Local (in this JVM, on a free port, tables created)
 * and a WireMock server that stands in for SNS and SES and records what the AWS SDK put on the wire.
 */
public class AwsLocalResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    /** Marks a test field that receives the WireMock server recording SNS/SES traffic. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface AwsRecorder {
    }

    public static final String USERS = "otp-users";
    public static final String TRANSACTIONS = "otp-transactions";
    public static final String LIMITS = "otp-limits";
    public static final String CALLERS = "otp-callers";
    public static final String ORGS = "otp-orgs";

    /** The table names the tests use: the defaults of application.properties. */
    public static final OtpConfig.Tables TABLES = new OtpConfig.Tables() {
        @Override
        public String users() {
            return USERS;
        }

        @Override
        public String transactions() {
            return TRANSACTIONS;
        }

        @Override
        public String limits() {
            return LIMITS;
        }

        @Override
        public String callers() {
            return CALLERS;
        }

        @Override
        public String orgs() {
            return ORGS;
        }
    };

    private DynamoDbLocalServer dynamo;
    private WireMockServer wireMock;
    /** In front of DynamoDB Local: the function's calls go through it and are counted (AwsCallCounter). */
    private WireMockServer dynamoCounter;
    /** DynamoDB Local itself, for the test JVM's own reads and writes (TestData): not counted. */
    private static volatile String dynamoEndpoint;

    /** The Lambda mock event server's port (a dev service in the test JVM) when the packaged function runs. */
    private static volatile int eventServerPort;

    /** @QuarkusIntegrationTest: where the packaged function polls for events, and where REST Assured must post. */
    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        String port = context.devServicesProperties().get("quarkus.lambda.mock-event-server.test-port");
        eventServerPort = port == null ? 0 : Integer.parseInt(port);
    }

    public static int eventServerPort() {
        return eventServerPort;
    }

    /** DynamoDB Local's endpoint, for helpers that run in the test JVM; set once the resource has started. */
    public static String dynamoEndpoint() {
        if (dynamoEndpoint == null) {
            throw new IllegalStateException("AwsLocalResource has not started");
        }
        return dynamoEndpoint;
    }

    @Override
    public Map<String, String> start() {
        // CI's arm64 job: DynamoDB Local has no linux-aarch64 SQLite library for this JVM, so it runs beside it
        // (its container image), named by OTP_TEST_DYNAMODB_ENDPOINT; everywhere else it runs in this JVM.
        String external = System.getenv("OTP_TEST_DYNAMODB_ENDPOINT");
        dynamo = external == null || external.isBlank() ? DynamoDbLocalServer.start(freePort()) : null;
        String dynamoLocal = dynamo == null ? external : dynamo.endpoint();
        try (DynamoDbClient client = SetUpClient.open(dynamoLocal)) {
            LocalTables.create(client, TableSpec.all(TABLES));
            // The caller of the vendor's sample request, as the local run has it: every test can post it verbatim.
            new CallerWrites(client, CALLERS, USERS)
                    .putCaller("1", "google@sum.com", new PasswordHasher().hash("XXXX@123"), null, null, Set.of("1"));
        }
        dynamoEndpoint = dynamoLocal;
        dynamoCounter = new WireMockServer(options().dynamicPort().disableRequestJournal());
        dynamoCounter.start();
        dynamoCounter.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(dynamoLocal)));
        dynamoCounter.addMockServiceRequestListener((request, response) -> AwsCallCounter.dynamoDb(request));
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        wireMock.addMockServiceRequestListener((request, response) -> AwsCallCounter.snsOrSes(request));
        stubProvidersUp(wireMock);
        return Map.of(
                "quarkus.dynamodb.endpoint-override", dynamoCounter.baseUrl(),
                "quarkus.sns.endpoint-override", wireMock.baseUrl(),
                "quarkus.ses.endpoint-override", wireMock.baseUrl(),
                "otp.end-user-messaging.endpoint-override", wireMock.baseUrl());
    }

    /** SNS Publish and SES SendEmail answer as AWS does (Query protocol, XML). */
    public static void stubProvidersUp(WireMockServer wireMock) {
        wireMock.resetAll();
        wireMock.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>f187a3c1</RequestId></ResponseMetadata></PublishResponse>")));
        wireMock.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=SendEmail"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<SendEmailResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\"><SendEmailResult>"
                                + "<MessageId>0100018c-ses</MessageId></SendEmailResult>"
                                + "<ResponseMetadata><RequestId>d5964849</RequestId></ResponseMetadata></SendEmailResponse>")));
        for (String operation : new String[] { "SendTextMessage", "SendVoiceMessage", "PutMessageFeedback" }) {
            stubEndUserMessaging(wireMock, operation);
        }
    }

    /** End User Messaging's JSON 1.0 protocol: every call is a POST to / naming its operation in X-Amz-Target. */
    public static final String EUM_TARGET = "PinpointSMSVoiceV2.";

    /** An End User Messaging operation that answers as AWS does, each send with a MessageId of its own. */
    public static void stubEndUserMessaging(WireMockServer wireMock, String operation) {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(EUM_TARGET + operation))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody(operation.startsWith("Send") ? "{\"MessageId\":\"{{randomValue type='UUID'}}\"}"
                                : "{\"MessageId\":\"{{jsonPath request.body '$.MessageId'}}\","
                                        + "\"MessageFeedbackStatus\":\"RECEIVED\"}")
                        .withTransformers("response-template")));
    }

    /** An End User Messaging operation refused as AWS refuses it (JSON 1.0 error: __type names the exception). */
    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder endUserMessagingError(String type,
            String reason) {
        return aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"" + type + "\",\"Message\":\"refused by the test\""
                        + (reason == null ? "" : ",\"Reason\":\"" + reason + "\"") + "}");
    }

    /** SNS and SES both refuse, as a throttled or misconfigured account does. */
    public static void stubProvidersDown(WireMockServer wireMock) {
        wireMock.resetAll();
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml")
                .withBody("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
                        + "<Message>Invalid parameter</Message></Error><RequestId>x</RequestId></ErrorResponse>")));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(wireMock, new TestInjector.AnnotatedAndMatchesType(AwsRecorder.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (wireMock != null) {
            wireMock.stop();
        }
        if (dynamoCounter != null) {
            dynamoCounter.stop();
        }
        if (dynamo != null) {
            dynamo.stop();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
