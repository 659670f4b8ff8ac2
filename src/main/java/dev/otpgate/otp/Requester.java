package dev.otpgate.otp;

/**
 * Whoever asks a use case to act. It acts only inside its own organisation, and the use case asks it
 * first whether it may act for the user named in the request, before it looks that user up or sends
 * anything.
 */
public interface Requester {

    String orgId();

    /** The caller's name in its organisation (its per-caller budgets are keyed by OrgID and name). */
    String userName();

    boolean mayActFor(String domainId, String userId);
}
