package dev.otpgate.ops;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.source.ClientAddress;
import io.quarkus.amazon.lambda.http.AwsHttpContextProducers;

/**
 * One JSON line per call on the logger {@value #CATEGORY} (printed as-is, see application.properties):
 * request ids, ServiceName, outcome, HTTP status and latency, and the call's metrics in CloudWatch's
 * embedded metric format, so the same line is both the searchable log and the metric source; no
 * PutMetricData round trip on the request path. It carries no request data but the ServiceName, and the
 * client's address (sourceIp), which the log group keeps for its retention.
 */
public class CallLog {

    public static final String CATEGORY = "otp-gate.calls";
    static final String GENERATE = SummitEndpoint.GENERATE;
    static final String VALIDATE = SummitEndpoint.VALIDATE;

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final CallRecord call;
    private final AwsHttpContextProducers lambda;
    private final ObjectMapper json;
    private final OtpConfig config;
    private final String function;
    private final ClientAddress source;

    CallLog(CallRecord call, AwsHttpContextProducers lambda, ObjectMapper json, OtpConfig config, ClientAddress source,
            @ConfigProperty(name = "quarkus.application.name") String application,
            @ConfigProperty(name = "AWS_LAMBDA_FUNCTION_NAME") Optional<String> lambdaFunction) {
        this.call = call;
        this.source = source;
        this.lambda = lambda;
        this.json = json;
        this.config = config;
        this.function = lambdaFunction.orElse(application);
    }

    @ServerRequestFilter
    void start() {
        call.startNanos(); // creates the request's record now, so latency counts from here
    }

    @ServerResponseFilter
    void finish(ContainerResponseContext response) {
        LOG.info(line(response.getStatus(), System.currentTimeMillis()));
    }

    String line(int status, long epochMillis) {
        String outcome = outcome(status, call.failureOutcome());
        ObjectNode line = json.createObjectNode();
        ArrayNode directives = json.createArrayNode();
        line.put(CallMetrics.FUNCTION, function);
        Context context = lambda.getAwsContext();
        line.put("requestId", context == null ? null : context.getAwsRequestId());
        APIGatewayV2HTTPEvent.RequestContext api = lambda.getHttpRequestContext();
        line.put("apiRequestId", api == null ? null : api.getRequestId());
        line.put("sourceIp", source.address()); // operational data, kept for the log group's retention
        line.put("serviceName", loggable(call.serviceName()));
        line.put("org", call.orgId()); // the authenticated caller's, never the request's text
        line.put("outcome", outcome);
        line.put("status", status);
        line.put("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos()));

        if (GENERATE.equals(call.serviceName()) && (status < 400 || call.failure() == Kind.DELIVERY_FAILED)) {
            boolean sent = status < 400;
            line.put(CallMetrics.CHANNEL, (call.channel() != null ? call.channel() : config.channel()).name());
            line.put(CallMetrics.CODES_SENT, sent ? 1 : 0);
            line.put(CallMetrics.DELIVERY_FAILURES, sent ? 0 : 1);
            directive(directives, CallMetrics.CHANNEL, CallMetrics.CODES_SENT, CallMetrics.DELIVERY_FAILURES);
        }
        if (VALIDATE.equals(call.serviceName())) {
            line.put(CallMetrics.OUTCOME, outcome);
            line.put(CallMetrics.VALIDATIONS, 1);
            directive(directives, CallMetrics.OUTCOME, CallMetrics.VALIDATIONS);
        }
        if (call.fraudCheckedHere()) { // every decision of the fraud guard: never the number, only its country
            ObjectNode fraud = line.putObject("fraud");
            fraud.put("decision", call.fraudRules().isEmpty() ? "allow" : call.fraudDenied() ? "deny" : "record");
            ArrayNode rules = fraud.putArray("rules");
            call.fraudRules().forEach(rules::add);
            fraud.put("country", call.fraudCountry());
            fraud.put("address", call.fraudAddress());
            fraud.put("caller", call.fraudCaller());
            if (!call.fraudRules().isEmpty()) { // the first rule: EMF takes one value per dimension
                line.put(CallMetrics.FRAUD_RULE, call.fraudRules().get(0));
                line.put(CallMetrics.FRAUD_DECISION, call.fraudDenied() ? "deny" : "record");
                line.put(CallMetrics.FRAUD_HITS, 1);
                ObjectNode d = directives.addObject();
                d.put("Namespace", CallMetrics.NAMESPACE);
                d.putArray("Dimensions").addArray().add(CallMetrics.FUNCTION).add(CallMetrics.FRAUD_RULE)
                        .add(CallMetrics.FRAUD_DECISION);
                d.putArray("Metrics").addObject().put("Name", CallMetrics.FRAUD_HITS).put("Unit", "Count");
            }
        }
        if (call.failure() == Kind.TOO_MANY_REQUESTS) {
            line.put(CallMetrics.LIMITS_HIT, 1);
            directive(directives, null, CallMetrics.LIMITS_HIT);
        }
        if (call.lockout() != null) {
            line.put("lockout", call.lockout());
            line.put(CallMetrics.CALLER_LOCKOUTS, 1);
            directive(directives, null, CallMetrics.CALLER_LOCKOUTS);
        }
        if (!directives.isEmpty()) { // only then is the line an EMF document; else a plain JSON log line
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", epochMillis);
            aws.set("CloudWatchMetrics", directives);
        }
        return line.toString();
    }

    /** A ServiceName we serve, or "other": the field is the caller's text, and only known names go to the log. */
    static String loggable(String serviceName) {
        if (serviceName == null) {
            return null;
        }
        return GENERATE.equals(serviceName) || VALIDATE.equals(serviceName) ? serviceName : "other";
    }

    /** "ok", the failure's case ("wrong_code", "send_limit", "not_found", ...), or what the status says. */
    static String outcome(int status, String failureOutcome) {
        if (failureOutcome != null) {
            return failureOutcome;
        }
        if (status >= 500) {
            return "internal";
        }
        return status >= 400 ? "rejected" : "ok";
    }

    private static void directive(ArrayNode directives, String dimension, String... metrics) {
        ObjectNode d = directives.addObject();
        d.put("Namespace", CallMetrics.NAMESPACE);
        ArrayNode set = d.putArray("Dimensions").addArray().add(CallMetrics.FUNCTION);
        if (dimension != null) {
            set.add(dimension);
        }
        ArrayNode list = d.putArray("Metrics");
        for (String m : metrics) {
            list.addObject().put("Name", m).put("Unit", "Count");
        }
    }
}
