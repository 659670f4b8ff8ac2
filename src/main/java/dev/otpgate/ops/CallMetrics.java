package dev.otpgate.ops;

import java.util.List;

/**
 * The CloudWatch metrics the call log line carries (embedded metric format), in one namespace, each
 * also dimensioned by the function's name so that stacks sharing an account stay apart. This class is the
 * one list of the names and of the dimension sets each metric is written with ({@link #DIRECTIVES}): CallLog
 * writes exactly these, and template.yaml's dashboard and alarms may read only these (TemplateTest runs
 * CallLog's line builder on sample calls and compares).
 */
public final class CallMetrics {

    public static final String NAMESPACE = "OtpGate";

    /** Dimension: the Lambda function's name (the application's name outside Lambda). */
    public static final String FUNCTION = "Function";
    /** Dimension: SMS or EMAIL. */
    public static final String CHANNEL = "Channel";
    /** Dimension: how a call ended ("ok", or the failure, e.g. "unauthorized", "send_limit", "fraud_country_daily"). */
    public static final String OUTCOME = "Outcome";
    /**
     * Dimension: where a code went: the ISO 3166 region of the SMS number, "EMAIL" for an e-mail (never its
     * domain), "XX" when not known. Only two-letter codes and these two: the dimension's values stay bounded.
     */
    public static final String COUNTRY = "Country";
    /** Dimension: ADM_GenerateOTP, ADM_ValidateOTP, "other" (any other text) or "none" (none could be read). */
    public static final String SERVICE_NAME = "ServiceName";

    /** 1 when a code was handed to SNS/SES, else 0 (on every generate that tried to send). */
    public static final String CODES_SENT = "CodesSent";
    /** 1 when SNS/SES refused or failed, else 0 (on every generate that tried to send). */
    public static final String DELIVERY_FAILURES = "DeliveryFailures";
    /**
     * The conversion signal, by country: 0 on every code sent, 1 on every code validated. Its Sum is the codes
     * validated; its Average a = validated / (sent + validated), so conversion (validated / sent) = a / (1 - a).
     * One metric, so that one Metrics Insights query grouped by Country can alarm on every country at once.
     */
    public static final String VERIFIED = "Verified";
    /** 1 per ADM_ValidateOTP call, dimensioned by outcome. */
    public static final String VALIDATIONS = "Validations";
    /** 1 per call refused by a rate or attempt limit or the fraud guard (HTTP 429), also by its outcome. */
    public static final String LIMITS_HIT = "LimitsHit";

    /**
     * 1 per call whose wrong password started a lockout: a source's back-off (its free failures used up) or
     * the caller's ceiling (reached). template.yaml's CallerLockoutAlarm reads it.
     */
    public static final String CALLER_LOCKOUTS = "CallerLockouts";
    /**
     * 1 per call whose wrong code started a hold (issue 22, finding 1): the guessing caller's wait or lock for a
     * user, or the user-wide cap. template.yaml's GuessHoldAlarm reads it.
     */
    public static final String GUESS_HOLDS = "GuessHolds";
    /** Dimension: the fraud guard's rule that fired (its reason code, e.g. fraud_address_hourly). */
    public static final String FRAUD_RULE = "FraudRule";
    /** Dimension: "deny" (the send was refused) or "record" (record mode: counted, sent anyway). */
    public static final String FRAUD_DECISION = "FraudDecision";
    /** 1 per generate the fraud guard refused or, in record mode, would have refused; by rule and decision. */
    public static final String FRAUD_HITS = "FraudHits";
    /** Milliseconds from the request's start to its answer, on every call, by ServiceName (p50/p99 on the dashboard). */
    public static final String LATENCY = "Latency";

    /** One EMF directive: metrics written together, their unit, and the dimension sets they are written with. */
    public record Directive(List<String> metrics, String unit, List<List<String>> dimensionSets) {
    }

    /** Sends and failed sends, by channel (the delivery-failure alarm) and by channel and country (the dashboard). */
    public static final Directive SENDS = new Directive(List.of(CODES_SENT, DELIVERY_FAILURES), "Count",
            List.of(List.of(FUNCTION, CHANNEL), List.of(FUNCTION, CHANNEL, COUNTRY)));
    /** The conversion signal, by country. */
    public static final Directive CONVERSION = new Directive(List.of(VERIFIED), "None",
            List.of(List.of(FUNCTION, COUNTRY)));
    /**
     * Validations by outcome. Not also by country: outcome times country would be hundreds of metrics at
     * $0.30 a month each, and the conversion signal (Verified) already answers "by country".
     */
    public static final Directive VALIDATION = new Directive(List.of(VALIDATIONS), "Count",
            List.of(List.of(FUNCTION, OUTCOME)));
    /** Refusals by a limit or the fraud guard: all, and by outcome. */
    public static final Directive LIMITS = new Directive(List.of(LIMITS_HIT), "Count",
            List.of(List.of(FUNCTION), List.of(FUNCTION, OUTCOME)));
    /** The fraud guard's hits by rule and decision, and by decision alone (the fraud alarm). */
    public static final Directive FRAUD = new Directive(List.of(FRAUD_HITS), "Count",
            List.of(List.of(FUNCTION, FRAUD_RULE, FRAUD_DECISION), List.of(FUNCTION, FRAUD_DECISION)));
    /** Lockouts started by wrong passwords. */
    public static final Directive LOCKOUTS = new Directive(List.of(CALLER_LOCKOUTS), "Count", List.of(List.of(FUNCTION)));
    /** Holds started by wrong codes. */
    public static final Directive HOLDS = new Directive(List.of(GUESS_HOLDS), "Count", List.of(List.of(FUNCTION)));
    /** Every call's latency. */
    public static final Directive LATENCIES = new Directive(List.of(LATENCY), "Milliseconds",
            List.of(List.of(FUNCTION, SERVICE_NAME)));

    /** Every directive CallLog writes. */
    public static final List<Directive> DIRECTIVES = List.of(SENDS, CONVERSION, VALIDATION, LIMITS, FRAUD, LOCKOUTS,
            HOLDS, LATENCIES);

    private CallMetrics() {
    }
}
