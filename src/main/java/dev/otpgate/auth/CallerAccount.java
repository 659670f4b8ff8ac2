package dev.otpgate.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A caller as stored: its password hash (PHC string, never the password), its API keys (SHA-256
 * hashes, never the keys) and its grants.
 */
public record CallerAccount(String orgId, String userName, String passwordHash, Map<String, ApiKey> apiKeys,
        String selfDomainId, String selfUserId, Set<String> generateForDomains) {

    public CallerAccount {
        apiKeys = Map.copyOf(apiKeys);
        generateForDomains = Set.copyOf(generateForDomains);
    }

    /** One API key of the caller, by its key id. */
    public record ApiKey(String sha256, Instant expiresAt, boolean revoked) {

        @Override
        public String toString() { // a key's hash is as good as the key to anyone who can replay it
            return "ApiKey[expiresAt=" + expiresAt + ", revoked=" + revoked + "]";
        }
    }

    Caller as(AuthMethod how) {
        return new Caller(orgId, userName, how, selfDomainId, selfUserId, generateForDomains);
    }

    @Override
    public String toString() { // hashes stay out of logs too
        return "CallerAccount[" + orgId + "/" + userName + "]";
    }
}
