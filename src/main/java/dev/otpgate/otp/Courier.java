package dev.otpgate.otp;

/** Delivers a code to a phone or a mailbox. */
public interface Courier {

    /**
     * Sends the message, or throws {@link DeliveryFailedException} when the provider refused or failed, or did not
     * answer within {@code timeout} (what the request has left for it, {@link RequestDeadline#sendTimeout}).
     */
    void deliver(OtpMessage message, java.time.Duration timeout);

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
