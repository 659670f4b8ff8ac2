package dev.otpgate.otp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/**
 * Every knob of the OTP policy in one place (prefix {@code otp}). Bounds are checked at start-up,
 * so a deployment with, say, a 3-digit code or a 30-minute validity never starts.
 */
@ConfigMapping(prefix = "otp")
public interface OtpConfig {

    /** Which channel a code goes out on, unless an organisation or its user prefers another (docs/organisations.md). */
    @WithDefault("SMS")
    Channel channel();

    /** The channels a code may go out on; unset = only {@link #channel()}. An organisation may narrow it. */
    Optional<Set<Channel>> channels();

    /**
     * When the chosen channel cannot deliver (no number or address, a country not allowed, an invalid
     * number, the provider refused), send the same code by another allowed channel instead.
     */
    @WithDefault("false")
    boolean fallback();

    /** The language of the messages for users without a locale of their own (BCP 47, e.g. "de"); unset = English. */
    Optional<String> defaultLocale();

    Tenancy tenancy();

    /** SnapStart's priming before the snapshot (dev.otpgate.snapstart.SnapStartPriming, bench/BENCHMARKS.md). */
    SnapStart snapstart();

    interface SnapStart {
        /** Prime even when Lambda does not initialise for SnapStart (bench/PackageBench's snapstart mode). */
        @WithDefault("false")
        boolean prime();

        /**
         * Warm-up rounds through the handler before the snapshot (each: a generate and a validate, every tenth an
         * e-mail generate). 1000: the warm overhead over the AWS floor fell from ~6.5 ms (100 rounds) to ~4 ms at C1,
         * for ~13 s of init paid once per published version (bench/BENCHMARKS.md, "Priming rounds and C2").
         */
        @WithDefault("1000")
        int primeRounds();

        /**
         * The most time the rounds may take (issue 16, finding 7): 1,000 rounds took 22-25 s on one core, and a
         * slower share of a vCPU must not bring the init near SnapStart's 130 s limit. Past it, no new round starts
         * (the first always runs); the rounds done are in the priming's log line.
         */
        @WithDefault("PT10S")
        Duration primeBudget();
    }

    interface Tenancy {
        /**
         * The organisation that owns the data written before data had organisations: its users, codes and
         * counters keep their unprefixed keys, every other organisation's keys start with "OrgID#".
         */
        @WithDefault(OrgKeys.DEFAULT_LEGACY_ORG)
        String legacyOrg();
    }

    /** Digits per code: 6-10 (NIST 800-63B 5.1.3 asks at least 20 bits, i.e. 6 digits; 4 is only 13). */
    @WithDefault("6")
    @Min(6) @Max(10)
    int codeLength();

    /** How long a code is valid: at most 10 minutes (NIST 800-63B 5.1.3, ASVS 2.7). */
    @WithDefault("PT5M")
    Duration validity();

    /**
     * The HMAC-SHA256 key the codes are hashed with: base64 of at least 32 random bytes (SecretKeys,
     * checked at start), from a secret store in AWS.
     */
    String hmacKey();

    Limits limits();

    Sms sms();

    Email email();

    Tables tables();

    Api api();

    interface Api {
        /** Larger bodies are refused with 413 before they are parsed; a real request is under 1 KiB. */
        @WithDefault("16384")
        @Min(1024)
        int maxBodyBytes();
    }

    /** Guess and send limits (docs/limits-and-fraud.md "Limits"); defaults meet or beat Twilio Verify and OWASP ASVS. */
    interface Limits {
        /** Wrong guesses per code before it is locked. */
        @WithDefault("5")
        @Min(1) @Max(10)
        int maxAttempts();

        /** Wrong guesses per user per hour, across all their codes (ASVS 2.2.1 allows at most 100). */
        @WithDefault("20")
        @Min(1) @Max(100)
        int failedGuessesPerHour();

        /** Time between two sends to the same user or the same destination. */
        @WithDefault("PT30S")
        Duration sendCooldown();

        /** Sends per user and per destination within one send window. */
        @WithDefault("5")
        @Min(1) @Max(100)
        int sendsPerWindow();

        @WithDefault("PT15M")
        Duration sendWindow();

        /**
         * Consecutive wrong guesses per user, across all codes and hours, after which the user's codes are
         * refused and none is sent until an operator clears it (admin user unlock) or 30 days pass without a
         * failure (NIST 800-63B 5.2.2: at most 100); before it, growing waits (GuessBackoff). Reset only by a
         * successful validation.
         */
        @WithDefault("100")
        @Min(1) @Max(100)
        int consecutiveFailures();

        /**
         * Wrong guesses per caller (OrgID and name) per hour, across all the users it may act for: a caller
         * with a domain grant cannot spray guesses across the domain.
         */
        @WithDefault("200")
        @Min(1) @Max(100000)
        int callerFailedGuessesPerHour();
    }

    Fraud fraud();

    /** The SMS pumping and mail bombing guard (docs/limits-and-fraud.md "The fraud guard"). */
    interface Fraud {
        /** DENY: refuse with 429; RECORD: count and log the would-be refusals, send anyway (to tune). */
        @WithDefault("DENY")
        FraudMode mode();

        /** Unverified codes (sent, not validated) per source address per hour, per channel. */
        @WithDefault("5")
        @Min(1) @Max(100000)
        int addressHourly();

        /** Unverified codes per source address per day (UTC), per channel. */
        @WithDefault("10")
        @Min(1) @Max(1000000)
        int addressDaily();

        /** Distinct destination countries with an unverified SMS per source address per day. */
        @WithDefault("3")
        @Min(1) @Max(250)
        int countriesPerAddress();

        /** The floor of the per-country daily threshold of unverified SMS (the anchor's 20). */
        @WithDefault("20")
        @Min(1) @Max(1000000)
        int countryDailyFloor();

        /** The floor of the per-country hourly threshold of unverified SMS (the anchor's 3). */
        @WithDefault("3")
        @Min(1) @Max(100000)
        int countryHourlyFloor();

        /** SMS per day (UTC) for the whole deployment: the circuit breaker. */
        @WithDefault("10000")
        @Min(1) @Max(100000000)
        int smsBudgetPerDay();

        /** E-mails per day (UTC) for the whole deployment. */
        @WithDefault("100000")
        @Min(1) @Max(100000000)
        int emailBudgetPerDay();

        /**
         * Codes one caller (OrgID and name) may have sent per day (UTC), per channel: below an organisation's
         * budget by default, so that one application of an organisation cannot spend all of it.
         */
        @WithDefault("1000")
        @Min(1) @Max(100000000)
        int callerQuotaPerDay();

        /**
         * An organisation's daily SMS and e-mail budgets, unless it sets its own (org put --sms-budget-per-day),
         * as a percentage of the deployment's: one organisation's spike or abuse cannot spend the others' share.
         */
        @WithDefault("20")
        @Min(1) @Max(99)
        int orgBudgetPercent();

        /**
         * This region's share of the daily budgets and quotas (the deployment's, each organisation's, each caller's),
         * percent: their counters are regional, so the shares of all regions add up to at most 100 and together they
         * never exceed the deployment's (docs/regions.md "Counters that stay regional"). 100 with one region.
         */
        @WithDefault("100")
        @Min(1) @Max(100)
        int regionBudgetPercent();

        /**
         * The deployment-wide per-country thresholds, as a multiple of an organisation's: the last resort against
         * pumping spread over several organisations' callers.
         */
        @WithDefault("10")
        @Min(1) @Max(1000)
        int deploymentCountryFactor();

        /** Shards of the deployment-wide and per-country counters (docs/limits-and-fraud.md "Scaling"). */
        @WithDefault("10")
        @Min(1) @Max(100)
        int shards();

        Allow allow();
    }

    /** What bypasses the fraud rules (not the per-user limits, not the deployment's budget). */
    interface Allow {
        /** Source address ranges (CIDR, IPv4 or IPv6, or single addresses). */
        Optional<List<String>> addresses();

        /** ISO 3166 region codes whose SMS skip the country and address rules. */
        Optional<List<String>> countries();

        /** Callers as OrgID/name: they skip the fraud rules and their daily quota. */
        Optional<List<String>> callers();
    }

    enum FraudMode {
        RECORD,
        DENY
    }

    interface Sms {
        /**
         * The service SMS go through: sns (the default: an account without End User Messaging set up works as
         * before) or end-user-messaging (a price cap, a time to live, delivery events, conversion feedback; see
         * otp.end-user-messaging and docs/delivery.md).
         */
        @WithDefault("sns")
        SmsSender sender();

        /**
         * ISO 3166 region codes SMS may go to (SMS pumping guard); a number elsewhere gets no SMS.
         * Keep it to the countries the users really are in.
         */
        @WithDefault("US,CA")
        @NotEmpty
        List<String> allowedCountries();

        /** Alphanumeric sender id, where the destination country supports one. */
        java.util.Optional<String> senderId();

        /** An origination number (E.164) the SMS is sent from, where the country requires one. */
        java.util.Optional<String> originationNumber();

        /** The SMS text; %1$s is the code, %2$d the minutes it is valid. */
        @WithDefault("Your verification code is %1$s. It expires in %2$d minutes. Never share it.")
        String template();
    }

    interface Email {
        /** The verified SES identity the mail comes from. */
        @WithDefault("no-reply@example.com")
        String sender();

        @WithDefault("Your verification code")
        String subject();

        /** The mail's text body; %1$s is the code, %2$d the minutes it is valid. */
        @WithDefault("Your verification code is %1$s.\n\nIt expires in %2$d minutes. If you did not ask for it, ignore this mail.")
        String template();
    }

    interface Tables {
        @WithDefault("otp-users")
        String users();

        @WithDefault("otp-transactions")
        String transactions();

        /** Send counters, cooldowns, failed-guess budgets and each user's current code. */
        @WithDefault("otp-limits")
        String limits();

        /** API callers: credentials and grants, keyed by (OrgID, UserName). */
        @WithDefault("otp-callers")
        String callers();

        /** Each organisation's settings (channel, code length, texts, limits), keyed by OrgID. */
        @WithDefault("otp-orgs")
        String orgs();
    }
}
