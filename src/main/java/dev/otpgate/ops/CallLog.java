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
import dev.otpgate.otp.DestinationCountry;
import dev.otpgate.otp.Masking;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.source.ClientAddress;
import io.quarkus.amazon.lambda.http.AwsHttpContextProducers;

/**
 * One JSON line per call on the logger {@value #CATEGORY} (printed as-is, see application.properties):
 * request ids, ServiceName, outcome, HTTP status and latency, the audit fields (organisation, the caller's
 * name once authenticated, AuthType, client address and User-Agent, destination country, the fraud guard's
 * decision), and the call's metrics in CloudWatch's embedded metric format ({@link CallMetrics}), so the same
 * line is both the searchable log and the metric source; no PutMetricData round trip on the request path. It
 * never holds a code, a password, a key, a token, a number or an e-mail address: of a destination only its
 * country (EMAIL for an e-mail).
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
        String service = loggable(call.serviceName());
        ObjectNode line = json.createObjectNode();
        ArrayNode directives = json.createArrayNode();
        line.put(CallMetrics.FUNCTION, function);
        Context context = lambda.getAwsContext();
        line.put("requestId", context == null ? null : context.getAwsRequestId());
        APIGatewayV2HTTPEvent.RequestContext api = lambda.getHttpRequestContext();
        line.put("apiRequestId", api == null ? null : api.getRequestId());
        line.put("sourceIp", source.address()); // operational data, kept for the log group's retention
        line.put("userAgent", source.userAgent()); // the client's text: truncated, control characters replaced
        line.put("serviceName", service);
        line.put("org", call.orgId()); // the authenticated caller's, never the request's text
        line.put("caller", masked(call.callerName())); // only once authenticated: a refused name may be a password
        line.put("authType", call.authType()); // FORM, APIKEY, TOKEN: how the request tried, never the credential
        line.put("outcome", outcome);
        line.put("status", status);
        long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos());
        line.put("latencyMs", latency);
        String country = call.country() == null ? null : DestinationCountry.bounded(call.country());
        line.put(CallMetrics.COUNTRY, country); // the SMS number's ISO region, EMAIL, XX: never the destination

        if (GENERATE.equals(call.serviceName()) && (status < 400 || call.failure() == Kind.DELIVERY_FAILED)) {
            boolean sent = status < 400;
            line.put(CallMetrics.CHANNEL, (call.channel() != null ? call.channel() : config.channel()).name());
            line.put(CallMetrics.COUNTRY, country == null ? DestinationCountry.UNKNOWN : country);
            line.put(CallMetrics.CODES_SENT, sent ? 1 : 0);
            line.put(CallMetrics.DELIVERY_FAILURES, sent ? 0 : 1);
            directive(directives, CallMetrics.SENDS);
            if (sent) { // the conversion signal: 0 per code sent (a validation of it adds a 1)
                line.put(CallMetrics.VERIFIED, 0);
                directive(directives, CallMetrics.CONVERSION);
            }
        }
        if (VALIDATE.equals(call.serviceName())) {
            line.put(CallMetrics.OUTCOME, outcome);
            line.put(CallMetrics.VALIDATIONS, 1);
            directive(directives, CallMetrics.VALIDATION);
            if (status < 400 && country != null) {
                line.put(CallMetrics.VERIFIED, 1);
                directive(directives, CallMetrics.CONVERSION);
            }
        }
        if (call.fraudCheckedHere()) { // every decision of the fraud guard: never the number, only its country
            ObjectNode fraud = line.putObject("fraud");
            fraud.put("decision", call.fraudRules().isEmpty() ? "allow" : call.fraudDenied() ? "deny" : "record");
            ArrayNode rules = fraud.putArray("rules");
            call.fraudRules().forEach(rules::add);
            fraud.put("country", call.fraudCountry());
            fraud.put("address", call.fraudAddress());
            fraud.put("caller", maskedCaller(call.fraudCaller()));
            if (!call.fraudRules().isEmpty()) { // the first rule: EMF takes one value per dimension
                line.put(CallMetrics.FRAUD_RULE, call.fraudRules().get(0));
                line.put(CallMetrics.FRAUD_DECISION, call.fraudDenied() ? "deny" : "record");
                line.put(CallMetrics.FRAUD_HITS, 1);
                directive(directives, CallMetrics.FRAUD);
            }
        }
        if (call.failure() == Kind.TOO_MANY_REQUESTS) {
            line.put(CallMetrics.OUTCOME, outcome);
            line.put(CallMetrics.LIMITS_HIT, 1);
            directive(directives, CallMetrics.LIMITS);
        }
        if (call.guessHold() != null) {
            line.put("guessHold", call.guessHold());
            line.put(CallMetrics.GUESS_HOLDS, 1);
            directive(directives, CallMetrics.HOLDS);
        }
        if (call.lockout() != null) {
            line.put("lockout", call.lockout());
            line.put(CallMetrics.CALLER_LOCKOUTS, 1);
            directive(directives, CallMetrics.LOCKOUTS);
        }
        line.put(CallMetrics.SERVICE_NAME, service == null ? "none" : service);
        line.put(CallMetrics.LATENCY, latency);
        directive(directives, CallMetrics.LATENCIES);

        ObjectNode aws = line.putObject("_aws"); // every line carries its latency: every line is an EMF document
        aws.put("Timestamp", epochMillis);
        aws.set("CloudWatchMetrics", directives);
        return line.toString();
    }

    /** A caller's name as the log shows it: an e-mail-like name masked as the warnings mask it. */
    static String masked(String name) {
        return name != null && name.indexOf('@') > 0 ? Masking.email(name) : name;
    }

    /** "org/name" with the name masked as {@link #masked}. */
    static String maskedCaller(String orgSlashName) {
        if (orgSlashName == null) {
            return null;
        }
        int slash = orgSlashName.indexOf('/');
        return slash < 0 ? masked(orgSlashName) : orgSlashName.substring(0, slash + 1) + masked(orgSlashName.substring(slash + 1));
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

    /** Writes {@code d} with all its dimension sets (each set's fields must be on the line: assertValidEmf). */
    private static void directive(ArrayNode directives, CallMetrics.Directive d) {
        ObjectNode out = directives.addObject();
        out.put("Namespace", CallMetrics.NAMESPACE);
        ArrayNode dimensions = out.putArray("Dimensions");
        for (java.util.List<String> set : d.dimensionSets()) {
            ArrayNode names = dimensions.addArray();
            set.forEach(names::add);
        }
        ArrayNode list = out.putArray("Metrics");
        for (String m : d.metrics()) {
            list.addObject().put("Name", m).put("Unit", d.unit());
        }
    }
}
