package dev.otpgate.auth;

import java.time.Instant;
import java.util.Optional;

/** Where callers' credentials and grants are kept, and their wrong passwords counted. */
public interface CallerStore {

    /** The caller's account, read strongly consistent (a revoked key is refused at once). */
    Optional<CallerAccount> find(String orgId, String userName);

    /**
     * Takes one of the caller's password attempts in the window that holds {@code now}, atomically,
     * BEFORE the password is checked: parallel guesses cannot get past the limit. The attempt stays
     * counted as a failure unless {@link #passwordAccepted} gives it back.
     */
    PasswordAttempt beginPasswordAttempt(String orgId, String userName, Instant now);

    /** The password was right: the caller's failures are forgotten (the limit is on consecutive failures). */
    void passwordAccepted(String orgId, String userName);

    /**
     * What checking a TokenID of the caller needs to know, or empty when there is no such caller: one
     * read of just those attributes, eventually consistent (the TokenID promise is "within 60 s").
     */
    Optional<TokenState> tokenState(String orgId, String userName);

    /**
     * The caller's TokenIDs issued at or before {@code tokensNotBefore} (epoch milliseconds; 0: none) are
     * refused, and all of them while an operator has it {@code locked}.
     */
    record TokenState(long tokensNotBefore, boolean locked) {

        public boolean admits(Instant issuedAt) {
            return !locked && issuedAt.toEpochMilli() > tokensNotBefore;
        }
    }

    /** What {@link #beginPasswordAttempt} found. */
    record PasswordAttempt(Outcome outcome, CallerAccount account, int failuresInWindow) {

        public enum Outcome {
            /** The attempt is counted; check the password. */
            GRANTED,
            /** No attempts left in this window. */
            LOCKED,
            /** No such caller. */
            UNKNOWN
        }
    }
}
