package dev.otpgate.otp;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request deadline of ADM_GenerateOTP (audit issue 8, defect 3). Every AWS call is bounded by its client's
 * call timeout (application.properties), but a generate makes up to eight of them plus an Argon2id hash, and
 * the worst case of all of them together is more than the Lambda timeout. So the part that must not be cut
 * short, the write and the send (a code that is stored must be sent or marked undelivered), starts only when the
 * request still has the time its worst case needs:
 *
 * <pre>
 *   write and send = 3 x TransactWriteItems (retried only on TransactionConflict) + 0.12 s of pauses between them
 *                  + 1 x Publish / SendEmail + 1 x UpdateItem (marking a failed send undelivered)
 *                  = 3 x 1 s + 0.12 s + 2 s + 1 s = 6.12 s with the timeouts of application.properties
 *   start it only if  time spent so far + 6.12 s + 0.5 s margin <= 10 s,  i.e. within the first 3.38 s
 * </pre>
 *
 * Later than that the call answers 503 (Retry-After) without writing anything: the user's previous code stays
 * the current one. The budget is computed from the configured timeouts, so changing one changes it. The
 * margin is for what follows the last AWS call: the envelope, the call log line and the runtime's hand-over.
 */
@ApplicationScoped
public class RequestDeadline {

    /** DynamoOtpStore's attempts of one TransactWriteItems under TransactionConflict, and the pauses between them. */
    static final int WRITE_ATTEMPTS = 3;
    static final Duration WRITE_PAUSES = Duration.ofMillis(40 + 80);
    static final Duration MARGIN = Duration.ofMillis(500);
    /**
     * Kept back from a send that waits for what is left: CPU time after it that no timeout bounds (a busy machine
     * answered a stalled send, then a stalled mark, in 10.7 s with the 0.5 s margin alone).
     */
    static final Duration SEND_SLACK = Duration.ofSeconds(1);

    private final Duration functionTimeout;
    private final Duration dynamoCall;
    private final Duration smsCall;
    private final Duration emailCall;

    RequestDeadline(DeadlineConfig config,
            @ConfigProperty(name = "quarkus.dynamodb.api-call-timeout") Duration dynamoCall,
            @ConfigProperty(name = "quarkus.sns.api-call-timeout") Duration smsCall,
            @ConfigProperty(name = "quarkus.ses.api-call-timeout") Duration emailCall) {
        this.functionTimeout = config.functionTimeout();
        this.dynamoCall = dynamoCall;
        this.smsCall = smsCall;
        this.emailCall = emailCall;
    }

    /** The worst case of the write, the send and the undelivered mark, with these call timeouts. */
    public static Duration writeAndSend(Duration dynamoCall, Duration sendCall) {
        return dynamoCall.multipliedBy(WRITE_ATTEMPTS).plus(WRITE_PAUSES).plus(sendCall).plus(dynamoCall);
    }

    /** The latest point of a request (since its start) at which the write and the send may still begin. */
    public static Duration latestStart(Duration functionTimeout, Duration dynamoCall, Duration sendCall) {
        return functionTimeout.minus(MARGIN).minus(writeAndSend(dynamoCall, sendCall));
    }

    /**
     * How long the send may wait for SNS or SES (issue 16, finding 11): all the time the function has left, less the
     * undelivered mark and the margin, so that a slow provider (3 s) that will deliver is waited for rather than
     * cut off at its call timeout with a code marked undelivered. Never less than that call timeout: the deadline
     * reserved it before the write.
     */
    public Duration sendTimeout(long startNanos, Channel channel) {
        Duration spent = Duration.ofNanos(System.nanoTime() - startNanos);
        Duration left = functionTimeout.minus(MARGIN).minus(SEND_SLACK).minus(dynamoCall).minus(spent);
        Duration floor = channel.phone() ? smsCall : emailCall;
        return left.compareTo(floor) > 0 ? left : floor;
    }

    /** Whether a request that started at {@code startNanos} (System.nanoTime) may still start the write and the send. */
    boolean leavesRoomForWriteAndSend(long startNanos, Channel channel) {
        Duration spent = Duration.ofNanos(System.nanoTime() - startNanos);
        return spent.compareTo(latestStart(functionTimeout, dynamoCall, channel.phone() ? smsCall : emailCall)) <= 0;
    }
}
