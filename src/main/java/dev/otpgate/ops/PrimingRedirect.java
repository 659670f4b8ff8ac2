package dev.otpgate.ops;

import java.net.URI;

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

    /** Where AWS calls go while priming; null (the real endpoints) otherwise. */
    private static volatile URI target;

    static void redirectTo(URI to) {
        target = to;
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
        URI to = target;
        SdkHttpRequest request = context.httpRequest();
        if (to == null) {
            return request;
        }
        return request.toBuilder().protocol(to.getScheme()).host(to.getHost()).port(to.getPort()).build();
    }
}
