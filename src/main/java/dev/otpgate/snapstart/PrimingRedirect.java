package dev.otpgate.snapstart;

import java.net.URI;

import org.jboss.logging.MDC;

import dev.otpgate.ops.RequestIdLog;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends the AWS clients' requests to {@link CannedAws} while {@link SnapStartPriming} runs, and nowhere else the
 * rest of the time: registered on the DynamoDB, SNS and SES clients (application.properties,
 * {@code quarkus.<client>.interceptors}). The request is rewritten after marshalling and before signing and
 * sending, so the priming goes through all of the SDK's own code (marshalling, signing, the HTTP client,
 * unmarshalling) but never reaches AWS. Outside the priming it costs one volatile read per call.
 */
public final class PrimingRedirect implements ExecutionInterceptor {

    /** The header that carries the priming's token to the stand-in, which answers nothing without it. */
    static final String TOKEN_HEADER = "x-otpgate-priming";

    /** Where the priming's calls go: the stand-in, and the token it answers. */
    record Target(URI to, String token) {
        @Override
        public String toString() { // the token is the priming's secret
            return "Target[" + to + "]";
        }
    }

    /** Null (the real endpoints) outside the priming. */
    private static volatile Target target;

    static void redirectTo(URI to, String token) {
        target = new Target(to, token);
    }

    static void stop() {
        target = null;
    }

    /** True while AWS calls are redirected (the priming). */
    public static boolean active() {
        return target != null;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        Target t = target;
        SdkHttpRequest request = context.httpRequest();
        if (t == null || !priming()) {
            return request; // issue 16, finding 7: any other request in the JVM goes where it was going
        }
        URI to = t.to();
        return request.toBuilder().protocol(to.getScheme()).host(to.getHost()).port(to.getPort())
                .putHeader(TOKEN_HEADER, t.token()).build();
    }

    /** A call of the priming's own requests: their Lambda request id, in the MDC of the thread that makes it. */
    private static boolean priming() {
        Object requestId = MDC.get(RequestIdLog.KEY);
        return requestId instanceof String id && id.startsWith(SnapStartPriming.REQUEST_ID_PREFIX);
    }
}
