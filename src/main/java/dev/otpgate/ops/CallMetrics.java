package dev.otpgate.ops;

/**
 * The CloudWatch metrics the call log line carries (embedded metric format), in one namespace, each
 * also dimensioned by the function's name so that stacks sharing an account stay apart. template.yaml's
 * alarms read CodesSent, DeliveryFailures and CallerLockouts; a test keeps them in step.
 */
public final class CallMetrics {

    public static final String NAMESPACE = "OtpGate";

    /** Dimension: the Lambda function's name (the application's name outside Lambda). */
    public static final String FUNCTION = "Function";
    /** Dimension: SMS or EMAIL. */
    public static final String CHANNEL = "Channel";
    /** Dimension: how a validation ended ("ok", or the failure, e.g. "unauthorized"). */
    public static final String OUTCOME = "Outcome";

    /** 1 when a code was handed to SNS/SES, else 0 (on every generate that tried to send). */
    public static final String CODES_SENT = "CodesSent";
    /** 1 when SNS/SES refused or failed, else 0 (on every generate that tried to send). */
    public static final String DELIVERY_FAILURES = "DeliveryFailures";
    /** 1 per ADM_ValidateOTP call, dimensioned by outcome. */
    public static final String VALIDATIONS = "Validations";
    /** 1 per call refused by a rate or attempt limit (HTTP 429). */
    public static final String LIMITS_HIT = "LimitsHit";

    /**
     * 1 per call whose wrong password started a lockout: a source's back-off (its free failures used up) or
     * the caller's ceiling (reached). template.yaml's CallerLockoutAlarm reads it.
     */
    public static final String CALLER_LOCKOUTS = "CallerLockouts";
    /** Dimension: the fraud guard's rule that fired (its reason code, e.g. fraud_address_hourly). */
    public static final String FRAUD_RULE = "FraudRule";
    /** Dimension: "deny" (the send was refused) or "record" (record mode: counted, sent anyway). */
    public static final String FRAUD_DECISION = "FraudDecision";
    /** 1 per generate the fraud guard refused or, in record mode, would have refused; by rule and decision. */
    public static final String FRAUD_HITS = "FraudHits";

    private CallMetrics() {
    }
}
