package dev.otpgate.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.otpgate.auth.CallerStore.Lockout;
import dev.otpgate.auth.CallerStore.PasswordAttempt;
import dev.otpgate.ops.CallRecord;
import dev.otpgate.otp.Masking;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.source.ClientAddress;
import dev.otpgate.source.SourceAddresses;

/**
 * Who is calling: a TokenID if the request has one (checked against its caller's state: at most one
 * read per caller per minute per instance, through {@link CallerStateCache}), else AuthType FORM
 * (UserName + Password against an Argon2id hash) or APIKEY (the key's SHA-256 against the stored
 * one). Every success hands back a TokenID, so a client pays for the password check once per token
 * lifetime. Every failure is a 401 before anything else happens; an unknown caller, a wrong password,
 * a source waiting out its back-off, a caller past its ceiling and an operator-locked caller get the same
 * answer after the same work (one Argon2id check, against a dummy hash when the password is not checked).
 * Wrong passwords are counted per (caller, source address) and per caller: see {@link CallerStore}.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);

    /** The one answer for every credential that does not prove a caller, so that none tells which part was wrong. */
    static final String INVALID = "Unauthorized: invalid credentials";

    private final CallerStore callers;
    private final PasswordHasher hasher;
    private final Tokens tokens;
    private final AuthConfig config;
    private final Clock clock;
    private final CallerStateCache states;
    private final ClientAddress source;
    private final CallRecord call;
    private final LoginGate gate;

    Authenticator(CallerStore callers, PasswordHasher hasher, AuthConfig config, Clock clock, ClientAddress source,
            CallRecord call, LoginGate gate) {
        this.gate = gate;
        this.source = source;
        this.call = call;
        this.callers = callers;
        this.hasher = hasher;
        this.tokens = new Tokens(config.tokenKey());
        this.config = config;
        this.clock = clock;
        this.states = new CallerStateCache(callers, clock);
    }

    public Authenticated authenticate(Credentials c) {
        if (!blank(c.tokenId())) {
            return byToken(c);
        }
        String type = c.authType() == null ? "" : c.authType().trim().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "FORM" -> byPassword(c);
            case "APIKEY" -> byApiKey(c);
            case "" -> throw unauthorized(
                    "Unauthorized: send AuthType FORM with UserName and Password, AuthType APIKEY with APIKey, or a TokenID");
            default -> throw unauthorized("Unauthorized: AuthType must be FORM or APIKEY, or send a TokenID");
        };
    }

    private Authenticated byToken(Credentials c) {
        Tokens.Opened opened = tokens.open(c.tokenId().trim())
                .orElseThrow(() -> unauthorized("Unauthorized: invalid TokenID"));
        Caller caller = opened.caller();
        // A token is bound to its caller: a request that names another is refused. It is bound to its
        // organisation too, but a request naming another OrgID is answered as for an unknown user (the
        // use cases act only inside the caller's own organisation), so it learns nothing of that org.
        if (!blank(c.userName()) && !c.userName().equals(caller.userName())) {
            throw unauthorized("Unauthorized: invalid TokenID");
        }
        if (!clock.instant().isBefore(opened.expiresAt())) {
            throw unauthorized("Unauthorized: the TokenID has expired; authenticate again");
        }
        // Removed, operator-locked, or issued before an operator ended its tokens: the answer of a forged one.
        if (!states.admits(opened)) {
            throw unauthorized("Unauthorized: invalid TokenID");
        }
        return new Authenticated(caller, c.tokenId().trim());
    }

    private Authenticated byPassword(Credentials c) {
        if (blank(c.userName()) || blank(c.password()) || blank(c.orgId())) {
            throw unauthorized("Unauthorized: AuthType FORM needs UserName, Password and OrgID");
        }
        // Before any write or hash: a made-up name costs an item and an Argon2id check (LoginGate).
        long wait = gate.take(SourceAddresses.rangeKey(source.address()));
        if (wait > 0) {
            throw new OtpFailure(Kind.TOO_MANY_REQUESTS, "login_rate",
                    "Too many logins from this network; try again in a few seconds", wait);
        }
        if (!storable(c.orgId().trim(), c.userName())) {
            hasher.verifyDummy(c.password()); // no such caller can exist: nothing to count
            throw unauthorized(INVALID);
        }
        Instant now = clock.instant();
        PasswordAttempt attempt = callers.beginPasswordAttempt(c.orgId().trim(), c.userName(), source.limitKey(), now);
        if (attempt.outcome() != PasswordAttempt.Outcome.GRANTED || attempt.account().passwordHash() == null
                || attempt.account().locked()) {
            // Not checked (unknown, waiting, past the ceiling, no password, operator-locked): the dummy hash takes
            // the same time as a real check, so nothing tells which.
            hasher.verifyDummy(c.password());
            throw rejected(attempt, now);
        }
        CallerAccount account = attempt.account();
        if (!hasher.verify(c.password(), account.passwordHash())) {
            throw rejected(attempt, now);
        }
        callers.passwordAccepted(attempt, now);
        states.remember(account, now.toEpochMilli()); // read (strongly consistent) at now: its token needs no read
        // Stamped with the time taken before the read, not after the check: an operator's TokensNotBefore
        // written while this login was in flight then ends its token too (it carries what was read).
        return issue(account.as(AuthMethod.PASSWORD), now, now.plus(config.tokenValidity()));
    }

    /** Reports the failure (a lockout it starts goes to the log and the call's metrics); the one 401 to throw. */
    private OtpFailure rejected(PasswordAttempt attempt, Instant now) {
        Lockout lockout = callers.passwordRejected(attempt, now);
        // A name no caller has still backs its source off (the same answers), but is no lockout to report: it
        // may be a password typed into the name field, and the alarm is for callers under attack.
        if (lockout != Lockout.NONE && attempt.outcome() != PasswordAttempt.Outcome.UNKNOWN) {
            call.lockout(lockout == Lockout.SOURCE_BACK_OFF ? "source_back_off" : "caller_ceiling");
            if (lockout == Lockout.SOURCE_BACK_OFF) {
                LOG.warnf("Caller %s/%s: source %s is backing off after %d wrong passwords", attempt.orgId(),
                        masked(attempt.userName()), attempt.source(), config.freeFailuresPerSource());
            } else {
                LOG.warnf("Caller %s/%s reached its ceiling of %d wrong passwords in %s (last from %s): only sources"
                        + " with none of their own are checked, %d a minute per address range, until %d in all",
                        attempt.orgId(), masked(attempt.userName()), attempt.callerFailures(), config.failureWindow(),
                        attempt.source(), config.ceilingChecksPerMinute(), config.maxFailures());
            }
        }
        return unauthorized(INVALID);
    }

    private Authenticated byApiKey(Credentials c) {
        if (blank(c.apiKey())) {
            throw unauthorized("Unauthorized: AuthType APIKEY needs APIKey");
        }
        String key = c.apiKey().trim();
        // The key names its organisation; a request naming another OrgID acts nowhere (the use cases answer
        // it as an unknown user), so the OrgID sent beside a key is not part of proving it.
        Optional<ApiKeys.Parsed> claimed = ApiKeys.parse(key).filter(p -> storable(p.orgId(), p.userName()));
        Instant now = clock.instant(); // before the read: what the token is stamped with (see byPassword)
        Optional<CallerAccount> account = claimed.flatMap(p -> callers.find(p.orgId(), p.userName()));
        CallerAccount.ApiKey stored = account.map(a -> a.apiKeys().get(claimed.get().keyId())).orElse(null);
        if (stored == null || !ApiKeys.matches(key, stored.sha256()) || account.get().locked()) {
            throw unauthorized(INVALID); // an operator-locked caller's key gets the answer of a wrong one
        }
        // Only the key's holder gets this far, so it may learn why its own key no longer works.
        if (stored.revoked()) {
            throw unauthorized("Unauthorized: the APIKey has been revoked");
        }
        if (!now.isBefore(stored.expiresAt())) {
            throw unauthorized("Unauthorized: the APIKey has expired");
        }
        Instant tokenExpiry = now.plus(config.tokenValidity());
        states.remember(account.get(), now.toEpochMilli());
        // A token never outlives the key it was issued for.
        return issue(account.get().as(AuthMethod.API_KEY), now,
                tokenExpiry.isAfter(stored.expiresAt()) ? stored.expiresAt() : tokenExpiry);
    }

    /** A TokenID stamped {@code readAt}: a moment taken before the caller's item was read, never after. */
    private Authenticated issue(Caller caller, Instant readAt, Instant expiresAt) {
        return new Authenticated(caller, tokens.issue(caller, readAt, expiresAt));
    }

    /** Names no caller can have (DynamoDB refuses keys over 1 KiB) are unknown callers, not errors. */
    private static boolean storable(String orgId, String userName) {
        return orgId.length() <= 64 && userName.length() <= 256;
    }

    private static OtpFailure unauthorized(String message) {
        return new OtpFailure(Kind.UNAUTHORIZED, message);
    }

    /** A caller's name for the log: masked (e-mail or not), control characters out so it cannot forge a line. */
    static String masked(String userName) {
        String clean = userName.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "");
        return clean.indexOf('@') > 0 ? Masking.email(clean) : clean.substring(0, Math.min(2, clean.length())) + "***";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
