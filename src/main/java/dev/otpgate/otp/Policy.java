package dev.otpgate.otp;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OTP policy in force for one organisation: its own settings where it has valid ones, the
 * deployment's configuration for the rest. What the use cases, the store's limits and the courier read.
 */
public record Policy(String orgId, Channel channel, Set<Channel> channels, boolean fallback, int codeLength,
        Duration validity, Limits limits, Set<String> smsCountries, Optional<String> smsSenderId,
        Optional<String> smsOriginationNumber, String emailSender, String defaultLocale,
        Map<String, MessageTexts.Texts> templates, MessageTexts.Texts deploymentTexts, int smsBudgetPerDay,
        int emailBudgetPerDay, Optional<String> smsMaxPrice) {

    /** Guess and send limits, as OtpConfig.Limits has them. */
    public record Limits(int maxAttempts, int failedGuessesPerHour, Duration sendCooldown, int sendsPerWindow,
            Duration sendWindow) {
    }

    /**
     * The policy of {@code orgId}: each setting of {@code org} within its bound, else the deployment's.
     * {@code problems} is what {@link OrgSettings#problems} found; a setting named there is ignored.
     */
    public static Policy of(String orgId, OtpConfig d, OrgSettings org) {
        Set<String> bad = org.problems(d).stream().map(p -> p.split(":", 2)[0]).collect(Collectors.toSet());
        OtpConfig.Limits l = d.limits();
        Set<Channel> channels = pick(bad, "channels", org.channels(), defaultChannels(d));
        Channel channel = pick(bad, "channel", org.channel(), d.channel());
        MessageTexts.Texts deployment = new MessageTexts.Texts(d.sms().template(), d.email().subject(), d.email().template());
        return new Policy(orgId, channels.contains(channel) ? channel : channels.iterator().next(), channels,
                pick(bad, "fallback", org.fallback(), d.fallback()),
                pick(bad, "code-length", org.codeLength(), d.codeLength()),
                pick(bad, "validity", org.validity(), d.validity()),
                new Limits(pick(bad, "max-attempts", org.maxAttempts(), l.maxAttempts()),
                        pick(bad, "failed-guesses-per-hour", org.failedGuessesPerHour(), l.failedGuessesPerHour()),
                        pick(bad, "send-cooldown", org.sendCooldown(), l.sendCooldown()),
                        pick(bad, "sends-per-window", org.sendsPerWindow(), l.sendsPerWindow()),
                        pick(bad, "send-window", org.sendWindow(), l.sendWindow())),
                pick(bad, "sms-countries", org.smsCountries(), deploymentCountries(d)),
                Optional.ofNullable(pick(bad, "sms-sender-id", org.smsSenderId(), d.sms().senderId().orElse(null))),
                Optional.ofNullable(pick(bad, "sms-origination-number", org.smsOriginationNumber(),
                        d.sms().originationNumber().orElse(null))),
                pick(bad, "email-sender", org.emailSender(), d.email().sender()),
                pick(bad, "default-locale", org.defaultLocale(), d.defaultLocale().orElse(null)),
                templates(bad.stream().anyMatch(b -> b.startsWith("template")) ? Map.of() : org.templates(), deployment),
                deployment,
                pick(bad, "sms-budget-per-day", org.smsBudgetPerDay(),
                        FraudGuard.defaultOrgBudget(d.fraud().smsBudgetPerDay(), d.fraud().orgBudgetPercent())),
                pick(bad, "email-budget-per-day", org.emailBudgetPerDay(),
                        FraudGuard.defaultOrgBudget(d.fraud().emailBudgetPerDay(), d.fraud().orgBudgetPercent())),
                // the organisation's End User Messaging price cap; none: the deployment's (the courier's setting)
                Optional.ofNullable(pick(bad, "sms-max-price", org.smsMaxPrice(), null)));
    }

    /** The organisation's daily budget for sends on {@code channel} (the fraud guard's). */
    public int budgetPerDay(Channel channel) {
        return channel.phone() ? smsBudgetPerDay : emailBudgetPerDay;
    }

    /**
     * The organisation's templates, over the deployment's own texts as English: an operator who rewords
     * otp.sms.template (say, to name the product) reaches users whose locale is English too, not only
     * those without a locale.
     */
    private static Map<String, MessageTexts.Texts> templates(Map<String, MessageTexts.Texts> org, MessageTexts.Texts deployment) {
        Map<String, MessageTexts.Texts> all = new java.util.HashMap<>(org);
        if (all.keySet().stream().noneMatch(tag -> tag.equalsIgnoreCase("en"))) {
            all.put("en", deployment);
        }
        return Map.copyOf(all);
    }

    /**
     * The channels of an organisation that chose none: otp.channels, or SMS and e-mail when it is not set. A call is
     * opted into (org put --channels SMS,VOICE,EMAIL, or otp.channels): it needs a voice origination identity, and an
     * organisation that never asked for calls gets none.
     */
    static Set<Channel> defaultChannels(OtpConfig d) {
        return d.channels().filter(c -> !c.isEmpty()).map(EnumSet::copyOf).orElse(EnumSet.of(Channel.SMS, Channel.EMAIL));
    }

    /** The channels an organisation may choose among: otp.channels, or every channel when it is not set. */
    static Set<Channel> deploymentChannels(OtpConfig d) {
        return d.channels().filter(c -> !c.isEmpty()).map(EnumSet::copyOf).orElse(EnumSet.allOf(Channel.class));
    }

    static Set<String> deploymentCountries(OtpConfig d) {
        return d.sms().allowedCountries().stream().map(c -> c.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The texts for a user with this locale (null: none), in the order of MessageTexts.resolve. */
    public MessageTexts.Texts texts(String userLocale) {
        return MessageTexts.resolve(userLocale, templates, defaultLocale, deploymentTexts);
    }

    private static <T> T pick(Set<String> bad, String name, T chosen, T deployment) {
        return chosen == null || bad.contains(name) ? deployment : chosen;
    }
}
