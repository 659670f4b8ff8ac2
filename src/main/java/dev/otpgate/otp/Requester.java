package dev.otpgate.otp;

/**
 * Whoever asks a use case to act. The use case asks it first whether it may act for the user named
 * in the request, before it looks that user up or sends anything.
 */
public interface Requester {

    boolean mayActFor(String domainId, String userId);
}
