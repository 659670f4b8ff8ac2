package dev.otpgate.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests as API Gateway hands them to Lambda: a raw HTTP API (v2) event, from a source address of the
 * test's choosing (requestContext.http.sourceIp), posted to the Lambda mock event server's /_lambda_ route.
 */
public final class RawEvents {

    /** The function's answer: the HTTP status and the envelope (the body, decoded). */
    public record Answer(int status, JsonNode body) {

        public String errors() {
            return body.path("Errors").asText();
        }

        public String transactionId() {
            return body.at("/OutputObject/OTP_Communication/0/TransactionID").asText();
        }
    }

    private static final ObjectNode TEMPLATE;

    static {
        try {
            TEMPLATE = (ObjectNode) Seed.tree(Files.readString(Path.of("events", "generate.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RawEvents() {
    }

    /** A copy of the HTTP API event of events/generate.json, to edit. */
    public static ObjectNode template() {
        return TEMPLATE.deepCopy();
    }

    /** Posts {@code body} (an envelope) as if a client at {@code sourceIp} sent it through API Gateway. */
    public static Answer post(String sourceIp, String body) {
        ObjectNode event = TEMPLATE.deepCopy();
        event.put("body", body);
        event.put("isBase64Encoded", false);
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", sourceIp);
        ((ObjectNode) event.path("requestContext")).put("requestId", "r" + System.nanoTime());
        JsonNode answer = Seed.tree(given().contentType("application/json").body(event.toString()).post("/_lambda_")
                .asString());
        String text = answer.path("body").asText();
        if (answer.path("isBase64Encoded").asBoolean()) {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
        return new Answer(answer.path("statusCode").asInt(), text.isEmpty() ? Seed.JSON.createObjectNode() : Seed.tree(text));
    }
}
