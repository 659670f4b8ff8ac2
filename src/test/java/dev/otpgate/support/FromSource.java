package dev.otpgate.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request as API Gateway hands it to the function, from a chosen client address: the raw HTTP API
 * (payload 2.0) event of events/generate.json with its body, {@code requestContext.http.sourceIp} and
 * optionally an X-Forwarded-For header replaced, posted to the mock event server's /_lambda_ route.
 */
public final class FromSource {

    private FromSource() {
    }

    /** The function's answer: HTTP status and body, exactly as the client gets them. */
    public record Answer(int status, String body) {

        public String errors() {
            return Seed.tree(body).path("Errors").asText();
        }
    }

    public static Answer post(String body, String sourceIp) {
        return post(body, sourceIp, null);
    }

    public static Answer post(String body, String sourceIp, String forwardedFor) {
        return post(body, sourceIp, forwardedFor, java.util.Map.of());
    }

    /** With more headers (lower-case names, as API Gateway passes them on). */
    public static Answer post(String body, String sourceIp, String forwardedFor, java.util.Map<String, String> more) {
        ObjectNode event = template();
        event.put("body", body);
        ObjectNode headers = (ObjectNode) event.get("headers");
        headers.remove("content-length");
        more.forEach(headers::put);
        if (forwardedFor == null) {
            headers.remove("x-forwarded-for");
        } else {
            headers.put("x-forwarded-for", forwardedFor);
        }
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        ((ObjectNode) context.get("http")).put("sourceIp", sourceIp);
        JsonNode answer = Seed.tree(given().contentType("application/json").body(event.toString()).post("/_lambda_")
                .asString());
        String raw = answer.path("body").asText();
        String text = answer.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8)
                : raw;
        return new Answer(answer.path("statusCode").asInt(), text);
    }

    private static ObjectNode template() {
        try {
            return (ObjectNode) Seed.tree(Files.readString(Path.of("events", "generate.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
