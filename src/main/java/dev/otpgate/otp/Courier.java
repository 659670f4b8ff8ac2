package dev.otpgate.otp;

import java.util.concurrent.CompletableFuture;

/** Delivers a code to a phone or a mailbox. */
public interface Courier {

    /**
     * Sends the message, or throws {@link DeliveryFailedException} when the provider refused or failed, or did not
     * answer within {@code timeout} (what the request has left for it, {@link RequestDeadline#sendTimeout}).
     *
     * @return the provider's id of the message when the provider can later be told it was received (End User
     *         Messaging's MessageId, for {@link #received}); null otherwise
     */
    String deliver(OtpMessage message, java.time.Duration timeout);

    /**
     * Tells the provider that the message {@code messageId} reached its user (the right code came back): End User
     * Messaging's PutMessageFeedback RECEIVED, its conversion metric. Never fails: a lost report costs a metric,
     * not a login. Completes when the provider answered (or gave up); the caller decides how long to wait.
     */
    default CompletableFuture<Void> received(String messageId) {
        return CompletableFuture.completedFuture(null);
    }

    class DeliveryFailedException extends RuntimeException {

        private final boolean refused;

        /**
         * @param refused the provider answered that it will not deliver (an error response): nothing went
         *        out. False when it is unknown (a timeout, a broken connection): the message may have gone.
         */
        public DeliveryFailedException(String message, Throwable cause, boolean refused) {
            super(message, cause);
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }
    }
}
