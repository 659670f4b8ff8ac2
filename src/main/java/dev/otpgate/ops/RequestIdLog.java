package dev.otpgate.ops;

import jakarta.ws.rs.Priorities;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;

import io.quarkus.amazon.lambda.http.AwsHttpContextProducers;

/**
 * The Lambda request id on every log line written while a request is served (docs/operate.md "Every line is JSON"): put in the
 * MDC as {@value #KEY} before any other filter runs, removed after the last response filter (the per-call
 * line, CallLog, carries its own requestId field). The JSON console format (application.properties) prints
 * the MDC with each line, {@code "mdc":{"requestId":"..."}}, which Logs Insights reads as {@code mdc.requestId}.
 * Quarkus keeps the MDC on the request's Vert.x context: it follows the request from the event loop to the
 * worker thread, and no other request sees it.
 */
public class RequestIdLog {

    public static final String KEY = "requestId";

    /** Request filters run by ascending priority, response filters by descending: first in, last out. */
    static final int FIRST_IN_LAST_OUT = Priorities.AUTHENTICATION - 500;

    private final AwsHttpContextProducers lambda;

    RequestIdLog(AwsHttpContextProducers lambda) {
        this.lambda = lambda;
    }

    @ServerRequestFilter(preMatching = true, priority = FIRST_IN_LAST_OUT)
    void put() {
        Context context = lambda.getAwsContext();
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(KEY, context.getAwsRequestId());
        }
    }

    @ServerResponseFilter(priority = FIRST_IN_LAST_OUT)
    void remove() {
        MDC.remove(KEY);
    }
}
