package dev.otpgate.otp;

/**
 * Every way a call can fail, with the HTTP status and the words the caller sees. The message must
 * be safe to show: never a code, a destination, a secret or a stack trace.
 */
public class OtpFailure extends RuntimeException {

    public enum Kind {
        BAD_REQUEST(400),
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        CONFLICT(409),
        GONE(410),
        PAYLOAD_TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415),
        UNPROCESSABLE(422),
        TOO_MANY_REQUESTS(429),
        INTERNAL(500),
        DELIVERY_FAILED(502),
        UNAVAILABLE(503);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public OtpFailure(Kind kind, String message) {
        this(kind, message, 0);
    }

    public OtpFailure(Kind kind, String message, long retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are answers, not bugs
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status;
    }

    /** Seconds the caller should wait before trying again; 0 when there is nothing to wait for. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
