package dev.otpgate.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A caller as stored: its password hash (PHC string, never the password), its API keys (SHA-256
 * hashes, never the keys), its grants, since when its TokenIDs are valid (epoch milliseconds, 0 when
 * never set) and whether an operator locked it.
 */
public record CallerAccount(String orgId, String userName, String passwordHash, Map<String, ApiKey> apiKeys,
        String selfDomainId, String selfUserId, Set<String> generateForDomains, long tokensNotBefore,
        boolean locked) {

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

    /** What the TokenID check needs of this account, as just read. */
    CallerStore.TokenState tokenState() {
        return new CallerStore.TokenState(tokensNotBefore, locked);
    }

    Caller as(AuthMethod how) {
        return new Caller(orgId, userName, how, selfDomainId, selfUserId, generateForDomains);
    }

    @Override
    public String toString() { // hashes stay out of logs too
        return "CallerAccount[" + orgId + "/" + userName + "]";
    }
}
