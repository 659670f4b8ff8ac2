package dev.otpgate.dynamo;

/** The attributes of otp-orgs: one item per organisation, keyed by OrgID (Attr.ORG_ID); each optional. */
public final class OrgAttr {

    public static final String CHANNEL = "Channel";
    public static final String CHANNELS = "Channels";
    public static final String FALLBACK = "Fallback";
    public static final String CODE_LENGTH = "CodeLength";
    public static final String VALIDITY = "Validity";
    public static final String MAX_ATTEMPTS = "MaxAttempts";
    public static final String FAILED_GUESSES_PER_HOUR = "FailedGuessesPerHour";
    public static final String SEND_COOLDOWN = "SendCooldown";
    public static final String SENDS_PER_WINDOW = "SendsPerWindow";
    public static final String SEND_WINDOW = "SendWindow";
    public static final String SMS_COUNTRIES = "SmsCountries";
    public static final String SMS_SENDER_ID = "SmsSenderId";
    public static final String SMS_ORIGINATION_NUMBER = "SmsOriginationNumber";
    public static final String EMAIL_SENDER = "EmailSender";
    public static final String DEFAULT_LOCALE = "DefaultLocale";
    /** The organisation's own daily budgets (fraud guard), below the deployment's. */
    public static final String SMS_BUDGET_PER_DAY = "SmsBudgetPerDay";
    public static final String EMAIL_BUDGET_PER_DAY = "EmailBudgetPerDay";
    /** The organisation's price cap per SMS part, USD, with End User Messaging (below the deployment's). */
    public static final String SMS_MAX_PRICE = "SmsMaxPrice";
    /** Map of BCP 47 tag to {Sms, EmailSubject, EmailBody}. */
    public static final String TEMPLATES = "Templates";
    public static final String SMS = "Sms";
    public static final String EMAIL_SUBJECT = "EmailSubject";
    public static final String EMAIL_BODY = "EmailBody";

    private OrgAttr() {
    }
}
