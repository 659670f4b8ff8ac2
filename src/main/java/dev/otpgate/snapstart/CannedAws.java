package dev.otpgate.snapstart;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import io.quarkus.arc.Arc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stand-in for DynamoDB, SNS and SES on the loopback address, for {@link SnapStartPriming} only: an HTTP server
 * on the application's own Vert.x that answers each call of the request path with a canned answer in the real
 * protocol (DynamoDB's JSON, SNS's and SES's query XML), so that the SDK's marshalling, signing, HTTP client and
 * unmarshalling all run before the snapshot without anything being written to or sent by AWS. Answers: the
 * priming caller's state and the priming users (by table and UserID), an empty GetItem for anything else (an
 * unknown transaction, no organisation settings), empty BatchGetItem responses, {@code {}} for writes, a
 * MessageId for Publish and SendEmail. It records the calls it answered ("DynamoDb.GetItem otp-users",
 * "Sns.Publish") for the test.
 */
final class CannedAws implements AutoCloseable {

    /** The priming users' UserIDs: one reached by SMS, one by e-mail. */
    static final String SMS_USER = "snapstart-priming-sms";
    static final String EMAIL_USER = "snapstart-priming-email";
    static final String USER_NAME = "snapstart-priming";
    /** A reserved domain: the priming's sends never leave this process anyway. */
    static final String EMAIL = "priming@example.invalid";

    private static final Pattern TABLE = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern USER_ID = Pattern.compile("\"UserID\"\\s*:\\s*\\{\\s*\"S\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration START_STOP = Duration.ofSeconds(5);

    private final HttpServer server;
    private final String callersTable;
    private final String usersTable;
    private final String callerOrg;
    private final String mobile;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final String token;

    /** {@code mobile}: the SMS user's number (E.164), in a country the deployment sends SMS to. */
    CannedAws(String callersTable, String usersTable, String callerOrg, String mobile, String token) throws IOException {
        this.token = token;
        this.mobile = mobile;
        this.callersTable = callersTable;
        this.usersTable = usersTable;
        this.callerOrg = callerOrg;
        Vertx vertx = Arc.container().instance(Vertx.class).get();
        this.server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::serve).listen());
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** The calls answered so far, each as "DynamoDb.GetItem otp-users" or "Sns.Publish". */
    List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        try {
            await(server.close());
        } catch (IOException e) {
            // the priming is over either way; the port is released with the server's event loop
        }
    }

    private void serve(HttpServerRequest request) {
        if (!token.equals(request.getHeader(PrimingRedirect.TOKEN_HEADER))) {
            request.response().setStatusCode(403).end(); // not the priming's call: never a canned answer
            return;
        }
        String target = request.getHeader("X-Amz-Target");
        request.body().onSuccess(body -> {
            Answer answer = answer(target, body.toString(StandardCharsets.UTF_8));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            HttpServerResponse response = request.response().putHeader("Content-Type", answer.type())
                    .putHeader("x-amzn-RequestId", "snapstart-priming");
            if (target != null) { // DynamoDB sends the CRC32 of its answer, which the SDK checks: so does the stand-in
                response.putHeader("x-amz-crc32", Long.toString(crc32(bytes)));
            }
            response.end(Buffer.buffer(bytes));
        });
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.toCompletionStage().toCompletableFuture().get(START_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(e);
        }
    }

    private record Answer(String type, String body) {
    }

    private Answer answer(String target, String body) {
        if (target != null && target.startsWith("PinpointSMSVoiceV2.")) { // End User Messaging (JSON 1.0 as well)
            calls.add("EndUserMessaging." + target.substring(target.indexOf('.') + 1));
            return new Answer("application/x-amz-json-1.0", "{\"MessageId\":\"snapstart-priming\"}");
        }
        if (target != null) { // DynamoDB (JSON 1.0 protocol)
            String op = target.substring(target.indexOf('.') + 1);
            Matcher t = TABLE.matcher(body);
            String table = t.find() ? t.group(1) : "";
            calls.add("DynamoDb." + op + (table.isEmpty() ? "" : " " + table));
            return new Answer("application/x-amz-json-1.0", switch (op) {
                case "GetItem" -> getItem(table, body);
                case "BatchGetItem" -> "{\"Responses\":{},\"UnprocessedKeys\":{}}";
                case "Query", "Scan" -> "{\"Count\":0,\"Items\":[],\"ScannedCount\":0}";
                default -> "{}"; // TransactWriteItems, UpdateItem, PutItem, DeleteItem: done, nothing returned
            });
        }
        String action = param(body, "Action");
        if ("Publish".equals(action)) {
            calls.add("Sns.Publish");
            return new Answer("text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                    + "<PublishResult><MessageId>00000000-0000-4000-8000-000000000000</MessageId></PublishResult>"
                    + "<ResponseMetadata><RequestId>snapstart-priming</RequestId></ResponseMetadata></PublishResponse>");
        }
        if ("SendEmail".equals(action)) {
            calls.add("Ses.SendEmail");
            return new Answer("text/xml", "<SendEmailResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">"
                    + "<SendEmailResult><MessageId>snapstart-priming</MessageId></SendEmailResult>"
                    + "<ResponseMetadata><RequestId>snapstart-priming</RequestId></ResponseMetadata></SendEmailResponse>");
        }
        calls.add("other " + action);
        return new Answer("text/xml", "<" + action + "Response><ResponseMetadata><RequestId>snapstart-priming"
                + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private String getItem(String table, String body) {
        if (table.equals(callersTable)) { // the priming caller exists, its tokens are all valid
            return "{\"Item\":{\"OrgID\":{\"S\":\"" + callerOrg + "\"},\"TokensNotBefore\":{\"N\":\"0\"}}}";
        }
        if (table.equals(usersTable)) {
            Matcher u = USER_ID.matcher(body);
            String user = u.find() ? u.group(1) : "";
            if (user.equals(SMS_USER)) {
                return "{\"Item\":{\"UserName\":{\"S\":\"" + USER_NAME + "\"},\"Mobile\":{\"S\":\"" + mobile + "\"}}}";
            }
            if (user.equals(EMAIL_USER)) {
                return "{\"Item\":{\"UserName\":{\"S\":\"" + USER_NAME + "\"},\"Email\":{\"S\":\"" + EMAIL
                        + "\"},\"Prefer\":{\"S\":\"EMAIL\"}}}";
            }
        }
        return "{}"; // no such item: an unknown transaction, an organisation without settings
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String param(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }
}
