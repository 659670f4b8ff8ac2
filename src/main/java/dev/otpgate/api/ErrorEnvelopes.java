package dev.otpgate.api;

import java.io.IOException;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.otpgate.ops.CallRecord;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.Refusals;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place where a failure becomes an envelope with Errors filled and an HTTP status. */
public class ErrorEnvelopes {

    private static final Logger LOG = Logger.getLogger(ErrorEnvelopes.class);

    @Inject
    CallRecord call; // the outcome of the per-call log line and metrics (dev.otpgate.ops.CallLog)

    @ServerExceptionMapper
    public Response failure(OtpFailure failure) {
        call.failed(failure);
        Response.ResponseBuilder answer = envelope(failure.status(), failure.getMessage());
        if (failure.retryAfterSeconds() > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, failure.retryAfterSeconds());
        }
        return answer.build();
    }

    /** Wrong path, wrong method and the like: the framework's status, our envelope. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return envelope(status, Response.Status.fromStatusCode(status) == null ? "Request refused"
                : Response.Status.fromStatusCode(status).getReasonPhrase()).build();
    }

    /** DynamoDB's error codes for "too many requests right now" (the SDK also knows them as throttling). */
    static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "RequestLimitExceeded",
            "ThrottlingException");

    /**
     * An AWS call that failed on its way out of the use case (DynamoDB: SNS and SES failures are delivery failures,
     * answered by GenerateOtp). A timeout, throttling, an AWS-side 5xx or a broken connection is an outage that
     * passes: 503 with Retry-After, and the caller tries again. Anything else (access denied, a missing table,
     * a malformed request) is a deployment bug: 500, with the stack trace for the operator.
     */
    @ServerExceptionMapper
    public Response aws(SdkException e) {
        if (!passing(e)) {
            // A bug or a misconfiguration: the stack for the operator, but not the SDK's message, which may quote
            // the request (an item's values).
            RuntimeException trace = new RuntimeException(e.getClass().getName() + code(e));
            trace.setStackTrace(e.getStackTrace());
            LOG.error("Unexpected AWS failure (its message left out)", trace);
            return envelope(500, "Internal error; try again later").build();
        }
        // The class and the AWS error code say what happened; the message is left out (it may quote the request).
        LOG.warnf("AWS call failed, answered unavailable: %s%s", e.getClass().getSimpleName(), code(e));
        return failure(Refusals.unavailable());
    }

    private static String code(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                ? " " + s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ")" : "";
    }

    static boolean passing(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (e instanceof AwsServiceException s) {
            return s.isThrottlingException() || s.statusCode() >= 500
                    || (s.awsErrorDetails() != null && THROTTLING.contains(s.awsErrorDetails().errorCode()));
        }
        if (e instanceof SdkClientException) { // connection refused or reset, socket timeout: not a missing credential
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A bug or an outage: logged for the operator (no message of ours carries a secret), answered without detail. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return envelope(500, "Internal error; try again later").build();
    }

    private static Response.ResponseBuilder envelope(int status, String errors) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(SummitResponse.error(errors));
    }
}
