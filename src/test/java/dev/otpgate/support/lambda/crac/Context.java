package dev.otpgate.support.lambda.crac;

/** See {@link Resource}. */
public abstract class Context<R extends Resource> implements Resource {
    public abstract void register(R resource);
}
