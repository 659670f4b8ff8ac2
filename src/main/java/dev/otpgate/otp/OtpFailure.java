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
    private final String reason;
    private final long retryAfterSeconds;

    public OtpFailure(Kind kind, String message) {
        this(kind, null, message, 0);
    }

    /**
     * @param reason which case of its kind this is ("wrong_code", "expired", "send_limit"...), for the
     *        per-call log and metrics; null when the kind says it all
     */
    public OtpFailure(Kind kind, String reason, String message, long retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are answers, not bugs
        this.kind = kind;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status;
    }

    /** The case in a word for logs and metrics: the reason if there is one, else the kind ("not_found"). */
    public String outcome() {
        return reason != null ? reason : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Seconds the caller should wait before trying again; 0 when there is nothing to wait for. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
