package dev.otpgate.otp;

/** Delivers a code to a phone or a mailbox. */
public interface Courier {

    /** Sends the message, or throws {@link DeliveryFailedException} when the provider refused or failed. */
    void deliver(OtpMessage message);

    class DeliveryFailedException extends RuntimeException {
        public DeliveryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
