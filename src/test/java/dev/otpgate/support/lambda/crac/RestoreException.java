package dev.otpgate.support.lambda.crac;

/** See {@link Resource}. */
public class RestoreException extends Exception {
    public RestoreException(Throwable cause) {
        super(cause);
    }
}
