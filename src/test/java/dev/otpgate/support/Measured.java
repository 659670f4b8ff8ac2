package dev.otpgate.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.restassured.response.Response;

/**
 * Generate-and-validate pairs for fresh users, each call's AWS round trips (counted on the wire) and time, printed as
 * a [measured] line for the delivery figures (docs/delivery.md "Round trips and latency"). Never asserted: a busy
 * machine's times are not the behaviour. Apart from authenticating the caller (FORM).
 */
public final class Measured {

    private Measured() {
    }

    /** The round trips of the last pair: generate's, then validate's. */
    public record Pair(List<String> generate, List<String> validate) {
    }

    public static Pair pairs(String label, WireMockServer aws, TestData data, int n, String sendOperation) {
        List<Long> generate = new ArrayList<>();
        List<Long> validate = new ArrayList<>();
        Pair last = null;
        for (int i = 0; i < n; i++) {
            String id = String.valueOf(5000 + i);
            data.user("1", id, "m" + id, "+1415555" + (4300 + i), null);
            AwsCallCounter.reset();
            long t0 = System.nanoTime();
            Response g = Flows.post(Seed.requestWith(u -> u.put("UserID", Integer.parseInt(id)).put("UserName", "m" + id)));
            long t1 = System.nanoTime();
            g.then().statusCode(200);
            List<String> generateCalls = AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS);
            String transactionId = g.path("OutputObject.OTP_Communication[0].TransactionID");
            String body = sendOperation.equals("Publish")
                    ? lastPublish(aws)
                    : Recorded.endUserMessaging(aws, sendOperation).get(Recorded.endUserMessaging(aws, sendOperation).size() - 1)
                            .path("MessageBody").asText();
            String code = Recorded.code(body, 6);
            AwsCallCounter.reset();
            long t2 = System.nanoTime();
            Flows.validate(transactionId, "967", code).then().statusCode(200);
            long t3 = System.nanoTime();
            last = new Pair(generateCalls, AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS));
            if (i >= n / 5) { // the first fifth warms up
                generate.add((t1 - t0) / 1_000);
                validate.add((t3 - t2) / 1_000);
            }
        }
        System.out.printf("[measured] %s: generate p50 %.1f ms p90 %.1f ms %s; validate p50 %.1f ms p90 %.1f ms %s (%d pairs, "
                + "local recorder and DynamoDB Local)%n", label, pct(generate, 50), pct(generate, 90), last.generate(),
                pct(validate, 50), pct(validate, 90), last.validate(), generate.size());
        return last;
    }

    private static String lastPublish(WireMockServer aws) {
        List<Map<String, String>> sms = Recorded.calls(aws, "Publish");
        return sms.get(sms.size() - 1).get("Message");
    }

    private static double pct(List<Long> micros, int p) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1000.0;
    }
}
