package dev.otpgate.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** Reads what the AWS SDK put on the wire to SNS / SES (Query protocol: a url-encoded form). */
public final class Recorded {

    private Recorded() {
    }

    /** The recorded requests of one action, oldest first (WireMock lists newest first). */
    public static List<Map<String, String>> calls(WireMockServer wireMock, String action) {
        List<LoggedRequest> requests = new java.util.ArrayList<>(
                wireMock.getAllServeEvents().stream().map(e -> e.getRequest()).toList());
        java.util.Collections.reverse(requests);
        return requests.stream()
                .map(Recorded::form)
                .filter(f -> action.equals(f.get("Action")))
                .toList();
    }

    /** The recorded End User Messaging requests of one operation (JSON bodies), oldest first. */
    public static List<com.fasterxml.jackson.databind.JsonNode> endUserMessaging(WireMockServer wireMock, String operation) {
        List<LoggedRequest> requests = new java.util.ArrayList<>(
                wireMock.getAllServeEvents().stream().map(e -> e.getRequest()).toList());
        java.util.Collections.reverse(requests);
        return requests.stream()
                .filter(r -> (AwsLocalResource.EUM_TARGET + operation).equals(r.getHeader("X-Amz-Target")))
                .map(r -> Seed.tree(r.getBodyAsString()))
                .toList();
    }

    public static int all(WireMockServer wireMock) {
        return wireMock.getAllServeEvents().size();
    }

    public static Map<String, String> form(com.github.tomakehurst.wiremock.http.Request request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** The first run of {@code length} digits in a message: the code a user would read. */
    public static String code(String message, int length) {
        Matcher m = Pattern.compile("(?<!\\d)\\d{" + length + "}(?!\\d)").matcher(message);
        if (!m.find()) {
            throw new AssertionError("no " + length + "-digit code in: " + message);
        }
        return m.group();
    }
}
