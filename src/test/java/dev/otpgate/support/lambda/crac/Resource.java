package dev.otpgate.support.lambda.crac;

/**
 * A stand-in for the CRaC implementation that Lambda's java runtime provides around a SnapStart snapshot, for
 * org.crac's compatibility hook ({@code -Dorg.crac.Core.Compat=dev.otpgate.support.lambda.crac}): resources that
 * the function registers with {@code org.crac.Core.getGlobalContext()} are called before the "snapshot" and after
 * the "restore" when LambdaRuntimeLoop runs with AWS_LAMBDA_INITIALIZATION_TYPE=snap-start (bench/PackageBench).
 */
public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
