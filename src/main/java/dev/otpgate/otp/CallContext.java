package dev.otpgate.otp;

/** What a use case tells about the call it serves, and reads of it (implemented by ops/CallRecord). */
public interface CallContext {

    /** When the request began (System.nanoTime), for the {@link RequestDeadline}. */
    long startNanos();

    /** The channel the code went (or was to go) out on, for the per-call log and its metrics. */
    void routedBy(Channel channel);
}
