package dev.otpgate.auth;

import java.util.Set;

import dev.otpgate.otp.Requester;

/**
 * An authenticated caller: who it is, in which organisation, how it proved it, and what it may do.
 * It may always act for the directory user it is linked to (selfDomainId, selfUserId), and for
 * anyone in the domains of {@code generateForDomains} (the "generate for others" grant).
 */
public record Caller(String orgId, String userName, AuthMethod method, String selfDomainId, String selfUserId,
        Set<String> generateForDomains) implements Requester {

    public Caller {
        generateForDomains = Set.copyOf(generateForDomains);
    }

    @Override
    public boolean mayActFor(String domainId, String userId) {
        boolean self = selfDomainId != null && selfDomainId.equals(domainId) && selfUserId != null
                && selfUserId.equals(userId);
        return self || generateForDomains.contains(domainId);
    }
}
