package dev.otpgate.otp;

/** What a use case tells about the call it serves, and reads of it (implemented by ops/CallRecord). */
public interface CallContext {

    /** When the request began (System.nanoTime), for the {@link RequestDeadline}. */
    long startNanos();

    /** The channel the code went (or was to go) out on, for the per-call log and its metrics. */
    void routedBy(Channel channel);

    /** The client's address as API Gateway saw it (requestContext.http.sourceIp); null outside Lambda. */
    String sourceAddress();

    /** The client's address itself (not an IPv6 address's /64), for allow-lists; by default the same. */
    default String clientAddress() {
        return sourceAddress();
    }

    /** The fraud guard looked at this send: its country (never the number), address and caller, for the call log. */
    default void fraudChecked(String country, String address, String caller) {
    }

    /**
     * The country the code goes (or, on a validation, went) to, {@link DestinationCountry}: an ISO code, EMAIL or
     * XX; never the number or the address.
     */
    default void destinationCountry(String country) {
    }

    /** Rules of the fraud guard that fired on this send; {@code denied}: the send was refused for them. */
    default void fraudFired(java.util.List<String> rules, boolean denied) {
    }

    /**
     * A wrong code that started a hold (issue 22, finding 1): "caller_wait" or "caller_locked" (the guessing caller,
     * for this user), "user_locked" (the user-wide cap), for the log and the GuessHolds metric.
     */
    default void guessHold(String kind) {
    }
}
