package dev.otpgate.ops;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.otp.Refusals;
import dev.otpgate.source.ClientAddress;
import io.quarkus.amazon.lambda.http.AwsHttpContextProducers;

/**
 * CallLog's line builder run on one sample of every kind of call (sent, failed send, fraud refusal and record,
 * limits, validations, lockout, bad request), outside Quarkus: what the code emits, for TemplateTest to hold the
 * dashboard and the alarms to.
 */
public final class SampleLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleLines() {
    }

    /** Every line of the samples. */
    public static List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        out.add(line(200, c -> sent(c, Channel.SMS, "US")));
        out.add(line(200, c -> sent(c, Channel.EMAIL, "EMAIL")));
        out.add(line(502, c -> {
            sent(c, Channel.SMS, "GB");
            c.failed(new OtpFailure(Kind.DELIVERY_FAILED, "The OTP could not be delivered"));
        }));
        out.add(line(429, c -> {
            sent(c, Channel.SMS, "NG");
            c.fraudChecked("NG", "198.51.100.7", "1/caller");
            c.fraudFired(List.of("fraud_country_daily"), true);
            c.failed(new OtpFailure(Kind.TOO_MANY_REQUESTS, "fraud_country_daily", "Too many", 60));
        }));
        out.add(line(200, c -> {
            sent(c, Channel.SMS, "US");
            c.fraudChecked("US", "198.51.100.7", "1/caller");
            c.fraudFired(List.of("fraud_address_hourly"), false);
        }));
        out.add(line(429, c -> {
            sent(c, Channel.SMS, "US");
            c.failed(Refusals.tooManySends(30));
        }));
        out.add(line(200, c -> validated(c, "US")));
        out.add(line(400, c -> {
            validated(c, "US");
            c.failed(Refusals.wrongCode(3));
        }));
        out.add(line(404, c -> {
            c.serviceName(CallLog.VALIDATE);
            c.authType("TOKEN");
            c.failed(Refusals.unknownTransaction());
        }));
        out.add(line(401, c -> {
            c.serviceName(CallLog.GENERATE);
            c.authType("FORM");
            c.lockout("source_back_off");
            c.failed(new OtpFailure(Kind.UNAUTHORIZED, "Unauthorized: invalid credentials"));
        }));
        out.add(line(400, c -> {
            c.serviceName(CallLog.VALIDATE);
            c.authType("TOKEN");
            c.guessHold("caller_wait");
            c.failed(Refusals.wrongCode(4));
        }));
        out.add(line(400, c -> c.failed(new OtpFailure(Kind.BAD_REQUEST, "bad"))));
        return out;
    }

    /** "Metric [Dimension, ...]" (dimensions sorted, namespace OtpGate) for every metric the sample lines carry. */
    public static Set<String> emitted() {
        Set<String> out = new TreeSet<>();
        for (JsonNode line : lines()) {
            for (JsonNode d : line.path("_aws").path("CloudWatchMetrics")) {
                if (!CallMetrics.NAMESPACE.equals(d.path("Namespace").asText())) {
                    throw new AssertionError("another namespace: " + line);
                }
                for (JsonNode set : d.get("Dimensions")) {
                    List<String> names = new ArrayList<>();
                    set.forEach(n -> names.add(n.asText()));
                    for (String name : names) { // CloudWatch drops a directive whose dimension is not a string field
                        if (!line.path(name).isTextual()) {
                            throw new AssertionError("dimension " + name + " is not a string on " + line);
                        }
                    }
                    for (JsonNode m : d.get("Metrics")) {
                        if (!line.path(m.get("Name").asText()).isNumber()) {
                            throw new AssertionError("metric " + m + " is not a number on " + line);
                        }
                        out.add(key(m.get("Name").asText(), names));
                    }
                }
            }
        }
        return out;
    }

    /** What {@link CallMetrics#DIRECTIVES} declares, in the form of {@link #emitted()}. */
    public static Set<String> declared() {
        Set<String> out = new TreeSet<>();
        for (CallMetrics.Directive d : CallMetrics.DIRECTIVES) {
            for (List<String> set : d.dimensionSets()) {
                d.metrics().forEach(m -> out.add(key(m, set)));
            }
        }
        return out;
    }

    public static String key(String metric, List<String> dimensions) {
        return metric + " " + new TreeSet<>(dimensions);
    }

    private static void sent(CallRecord c, Channel channel, String country) {
        c.serviceName(CallLog.GENERATE);
        c.authType("FORM");
        c.orgId("1");
        c.callerName("caller");
        c.routedBy(channel);
        c.destinationCountry(country);
    }

    private static void validated(CallRecord c, String country) {
        c.serviceName(CallLog.VALIDATE);
        c.authType("TOKEN");
        c.orgId("1");
        c.callerName("caller");
        c.destinationCountry(country);
    }

    private static JsonNode line(int status, Consumer<CallRecord> call) {
        CallRecord record = new CallRecord();
        call.accept(record);
        OtpConfig config = (OtpConfig) Proxy.newProxyInstance(OtpConfig.class.getClassLoader(),
                new Class<?>[] { OtpConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "channel" -> Channel.SMS;
                    case "toString" -> "OtpConfig";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CallLog log = new CallLog(record, new NoLambda(), JSON, config, new Source(), "otp-gate", Optional.of("fn"));
        try {
            return JSON.readTree(log.line(status, 1_700_000_000_000L));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class NoLambda extends AwsHttpContextProducers {
        @Override
        public Context getAwsContext() {
            return null;
        }

        @Override
        public APIGatewayV2HTTPEvent.RequestContext getHttpRequestContext() {
            return null;
        }
    }

    private static final class Source extends ClientAddress {
        @Override
        public String address() {
            return "198.51.100.7";
        }

        @Override
        public String userAgent() {
            return "SampleLines/1.0";
        }
    }
}
