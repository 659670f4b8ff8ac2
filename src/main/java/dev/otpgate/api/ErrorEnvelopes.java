package dev.otpgate.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.otpgate.ops.CallRecord;
import dev.otpgate.otp.OtpFailure;

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
