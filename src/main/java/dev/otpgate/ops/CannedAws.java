package dev.otpgate.ops;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A stand-in for DynamoDB, SNS and SES on the loopback address, for {@link SnapStartPriming} only: a minimal
 * HTTP/1.1 server (java.net only) that answers each call of the request path with a canned answer in the real
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

    private final ServerSocket server;
    private final String callersTable;
    private final String usersTable;
    private final String callerOrg;
    private final String mobile;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** {@code mobile}: the SMS user's number (E.164), in a country the deployment sends SMS to. */
    CannedAws(String callersTable, String usersTable, String callerOrg, String mobile) throws IOException {
        this.mobile = mobile;
        this.callersTable = callersTable;
        this.usersTable = usersTable;
        this.callerOrg = callerOrg;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "snapstart-priming-aws");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    /** The calls answered so far, each as "DynamoDb.GetItem otp-users" or "Sns.Publish". */
    List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                Thread t = new Thread(() -> serve(s), "snapstart-priming-aws-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String target = null;
                int length = 0;
                boolean chunked = false;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "x-amz-target" -> target = value;
                        case "content-length" -> length = Integer.parseInt(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        default -> { }
                    }
                }
                String body = new String(chunked ? chunks(in) : in.readNBytes(length), StandardCharsets.UTF_8);
                Answer answer = answer(target, body);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                // DynamoDB sends the CRC32 of its answer, which the SDK checks: so does the stand-in
                String crc = target == null ? "" : "x-amz-crc32: " + crc32(bytes) + "\r\n";
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + answer.type() + "\r\nContent-Length: " + bytes.length
                        + "\r\n" + crc + "x-amzn-RequestId: snapstart-priming\r\nConnection: keep-alive\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException gone) {
            // the client closed the connection, or the priming is over
        } finally {
            open.remove(socket);
        }
    }

    private record Answer(String type, String body) {
    }

    private Answer answer(String target, String body) {
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

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers (a checksum) are ignored
                }
                return all.toByteArray();
            }
            all.write(in.readNBytes(n));
            line(in);
        }
    }
}
