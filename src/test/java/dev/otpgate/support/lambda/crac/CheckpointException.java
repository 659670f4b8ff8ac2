package dev.otpgate.support.lambda.crac;

/** See {@link Resource}. */
public class CheckpointException extends Exception {
    public CheckpointException(Throwable cause) {
        super(cause);
    }
}
