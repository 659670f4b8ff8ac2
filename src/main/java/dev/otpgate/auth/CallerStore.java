package dev.otpgate.auth;

import java.time.Instant;
import java.util.Optional;

/** Where callers' credentials and grants are kept, and their wrong passwords counted. */
public interface CallerStore {

    /** The caller's account, read strongly consistent (a revoked key is refused at once). */
    Optional<CallerAccount> find(String orgId, String userName);

    /**
     * Takes a password attempt of {@code source} (a client address's limit key) for the caller, atomically,
     * BEFORE the password is checked, so that parallel guesses cannot get past the limits: first in the
     * source's own record (refused while the source waits out its back-off), then in the caller's ceiling
     * (past it: a source whose right password is recent is checked; one with wrong passwords of its own
     * is refused; the others get a few checks a minute per address range). The attempt stays counted as a
     * failure unless {@link #passwordAccepted} gives it back; a wrong password is then reported with
     * {@link #passwordRejected}, which sets the source's back-off.
     */
    PasswordAttempt beginPasswordAttempt(String orgId, String userName, String source, Instant now);

    /**
     * The password was right: the source's failures are forgotten (that source only; others keep theirs),
     * its login at {@code now} remembered (past the ceiling, a source that logged in recently is still
     * checked), and the attempt is taken back out of the caller's ceiling.
     */
    void passwordAccepted(PasswordAttempt attempt, Instant now);

    /**
     * The password was wrong (or the caller unknown or locked): the source waits before its next attempt
     * once its free failures are used up. Says which lockout, if any, this failure started.
     */
    Lockout passwordRejected(PasswordAttempt attempt, Instant now);

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

    /** A lockout this failure started: none, a source's back-off, or the caller's ceiling. */
    enum Lockout {
        NONE, SOURCE_BACK_OFF, CALLER_CEILING
    }

    /**
     * What {@link #beginPasswordAttempt} found: the outcome, the caller (when GRANTED), the source's failures
     * counted so far (this attempt included), the caller's in the ceiling window (this attempt included
     * when it was counted there: {@code ceilingWindowEnd} > 0), and the keys the later calls need.
     */
    record PasswordAttempt(Outcome outcome, CallerAccount account, String orgId, String userName, String source,
            long sourceFailures, long callerFailures, long ceilingWindowEnd) {

        public enum Outcome {
            /** The attempt is counted; check the password. */
            GRANTED,
            /** The source waits out its back-off: not checked, not counted. */
            DELAYED,
            /** The caller's ceiling is reached and this source has failures of its own (or no check is left this minute). */
            CEILING,
            /** No such caller. */
            UNKNOWN
        }

        @Override
        public String toString() { // the source is personal data: kept out of exception texts
            return "PasswordAttempt[" + outcome + ", " + orgId + "]";
        }
    }
}
