package dev.otpgate.otp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an organisation's administrator chose, as stored (otp-orgs, one item per OrgID); null = not
 * set, the deployment's value applies. {@link #problems} holds every setting to the deployment's hard
 * bounds: the operators' tool refuses to store a setting out of bounds, and {@link Policy#of} ignores
 * one that a later, narrower deployment put out of bounds.
 */
public record OrgSettings(Channel channel, Set<Channel> channels, Boolean fallback, Integer codeLength,
        Duration validity, Integer maxAttempts, Integer failedGuessesPerHour, Duration sendCooldown,
        Integer sendsPerWindow, Duration sendWindow, Set<String> smsCountries, String smsSenderId,
        String smsOriginationNumber, String emailSender, String defaultLocale, Map<String, MessageTexts.Texts> templates,
        Integer smsBudgetPerDay, Integer emailBudgetPerDay, String smsMaxPrice) {

    public static final OrgSettings NONE = new OrgSettings(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, Map.of(), null, null, null);

    public OrgSettings {
        channels = channels == null ? null : Set.copyOf(channels);
        smsCountries = smsCountries == null ? null : Set.copyOf(smsCountries);
        templates = templates == null ? Map.of() : Map.copyOf(templates);
    }

    /** The deployment's bounds on an organisation's settings. */
    public record Bounds(Set<Channel> channels, Set<String> smsCountries, Duration sendWindow, int smsBudgetPerDay,
            int emailBudgetPerDay) {

        public static Bounds of(OtpConfig deployment) {
            return new Bounds(Policy.deploymentChannels(deployment), Policy.deploymentCountries(deployment),
                    deployment.limits().sendWindow(), deployment.fraud().smsBudgetPerDay(),
                    deployment.fraud().emailBudgetPerDay());
        }
    }

    /** The names of the settings (as the operators' tool spells them) that break a bound, each with the bound. */
    public List<String> problems(OtpConfig deployment) {
        return problems(Bounds.of(deployment));
    }

    public List<String> problems(Bounds deployment) {
        List<String> out = new ArrayList<>();
        Set<Channel> deploymentChannels = deployment.channels();
        check(out, channels == null || (!channels.isEmpty() && deploymentChannels.containsAll(channels)),
                "channels: a non-empty subset of the deployment's " + deploymentChannels);
        Set<Channel> allowed = channels != null ? channels : deploymentChannels;
        check(out, channel == null || allowed.contains(channel), "channel: one of the allowed channels " + allowed);
        check(out, codeLength == null || (codeLength >= 6 && codeLength <= 10), "code-length: 6 to 10 digits");
        check(out, validity == null || (validity.compareTo(Duration.ofMinutes(1)) >= 0
                && validity.compareTo(PolicyCheck.MAX_VALIDITY) <= 0), "validity: 1 to 10 minutes");
        check(out, maxAttempts == null || (maxAttempts >= 1 && maxAttempts <= 10), "max-attempts: 1 to 10");
        check(out, failedGuessesPerHour == null || (failedGuessesPerHour >= 1 && failedGuessesPerHour <= 100),
                "failed-guesses-per-hour: 1 to 100");
        check(out, sendsPerWindow == null || (sendsPerWindow >= 1 && sendsPerWindow <= 100), "sends-per-window: 1 to 100");
        Duration window = sendWindow != null ? sendWindow : deployment.sendWindow();
        check(out, sendWindow == null || (sendWindow.toSeconds() >= 60 && sendWindow.toHours() <= 24),
                "send-window: 1 minute to 24 hours");
        check(out, sendCooldown == null || (!sendCooldown.isNegative() && sendCooldown.compareTo(window) <= 0),
                "send-cooldown: 0 to the send window");
        Set<String> deploymentCountries = deployment.smsCountries();
        check(out, smsCountries == null || (!smsCountries.isEmpty() && deploymentCountries.containsAll(smsCountries)),
                "sms-countries: a non-empty subset of the deployment's " + deploymentCountries);
        check(out, smsOriginationNumber == null || smsOriginationNumber.matches("\\+[1-9]\\d{6,14}"),
                "sms-origination-number: E.164, such as +14155550142");
        check(out, smsSenderId == null || smsSenderId.matches("[A-Za-z0-9]{1,11}") && !smsSenderId.matches("\\d+"),
                "sms-sender-id: 1 to 11 letters and digits, not only digits");
        check(out, emailSender == null || emailSender.matches("(?s).*[^@\\s<]+@[^@\\s>]+\\.[^@\\s>]+.*")
                && MessageTexts.oneLine(emailSender, MessageTexts.MAX_HEADER),
                "email-sender: an address, such as OTP <otp@example.com>, on one line");
        check(out, defaultLocale == null || wellFormedLocale(defaultLocale), "default-locale: a BCP 47 tag, such as de-DE");
        // Strictly below the deployment's: the deployment's budget stays the circuit breaker for all organisations.
        check(out, smsBudgetPerDay == null || (smsBudgetPerDay >= 1 && smsBudgetPerDay < deployment.smsBudgetPerDay()),
                "sms-budget-per-day: 1 to " + (deployment.smsBudgetPerDay() - 1) + " (below the deployment's "
                        + deployment.smsBudgetPerDay() + ")");
        check(out, emailBudgetPerDay == null || (emailBudgetPerDay >= 1 && emailBudgetPerDay < deployment.emailBudgetPerDay()),
                "email-budget-per-day: 1 to " + (deployment.emailBudgetPerDay() - 1) + " (below the deployment's "
                        + deployment.emailBudgetPerDay() + ")");
        // End User Messaging's MaxPrice (USD per part); the deployment's cap is otp.end-user-messaging.max-price
        check(out, smsMaxPrice == null || smsMaxPrice.matches("\\d{1,2}\\.\\d{1,5}"),
                "sms-max-price: USD per SMS part, such as 0.05");
        templates.forEach((tag, texts) -> {
            check(out, wellFormedLocale(tag), "template locale " + tag + ": a BCP 47 tag, such as de-DE");
            check(out, MessageTexts.validTemplate(texts.sms()) && MessageTexts.validTemplate(texts.emailBody())
                    && !texts.emailSubject().isBlank(),
                    "template " + tag + ": %1$s (the code) and at most %2$d (the minutes), a subject");
            // each bound once: a template the check above refused is not measured again
            check(out, !MessageTexts.validTemplate(texts.sms()) || MessageTexts.smsWithinBound(texts.sms()),
                    "template " + tag + " sms: at most " + MessageTexts.MAX_SMS_SEGMENTS
                            + " SMS segments with a 10-digit code (459 GSM-7 or 201 UCS-2 characters)");
            check(out, texts.emailSubject().isBlank() || MessageTexts.oneLine(texts.emailSubject(), MessageTexts.MAX_SUBJECT),
                    "template " + tag + " email-subject: 1 to " + MessageTexts.MAX_SUBJECT
                            + " characters on one line, no control characters");
            check(out, texts.emailBody().length() <= MessageTexts.MAX_EMAIL_BODY,
                    "template " + tag + " email-body: at most " + MessageTexts.MAX_EMAIL_BODY + " characters");
        });
        return out;
    }

    static boolean wellFormedLocale(String tag) {
        try {
            return !new Locale.Builder().setLanguageTag(tag.replace('_', '-')).build().getLanguage().isEmpty();
        } catch (IllformedLocaleException e) {
            return false;
        }
    }

    private static void check(List<String> out, boolean ok, String bound) {
        if (!ok) {
            out.add(bound);
        }
    }
}
