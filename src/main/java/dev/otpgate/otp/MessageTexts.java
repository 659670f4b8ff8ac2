package dev.otpgate.otp;

import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The texts a code goes out in, per language, and which of them a user gets.
 *
 * <p>
 * Templates use {@link java.util.Formatter} syntax like {@code otp.sms.template}: {@code %1$s} is the
 * code, {@code %2$d} the minutes it is valid. Every shipped SMS fits one segment (160 GSM-7 septets or
 * 70 UCS-2 code units) with a 10-digit code and 10 minutes; {@code MessageTextsTest} checks it.
 *
 * <p>
 * Plain maps and string handling only: no reflection, no resource bundles (native image).
 */
public final class MessageTexts {

    /**
     * The templates of one language. The e-mail subject is plain text (no placeholders, no code); the
     * SMS and the e-mail body are templates.
     */
    public record Texts(String sms, String emailSubject, String emailBody) {
        public Texts {
            Objects.requireNonNull(sms, "sms");
            Objects.requireNonNull(emailSubject, "emailSubject");
            Objects.requireNonNull(emailBody, "emailBody");
        }
        // the default toString prints the templates: they never hold a code
    }

    /**
     * The texts that ship, keyed by BCP 47 language tag. "pt" is European Portuguese, "pt-BR"
     * Brazilian (they differ: "o seu"/"seu", "partilhar"/"compartilhar", "pediu"/"solicitou").
     * English is exactly the defaults of {@link OtpConfig}.
     */
    public static final Map<String, Texts> SHIPPED = Map.of(
            "en", new Texts(
                    "Your verification code is %1$s. It expires in %2$d minutes. Never share it.",
                    "Your verification code",
                    "Your verification code is %1$s.\n\nIt expires in %2$d minutes. If you did not ask for it, ignore this mail."),
            "de", new Texts(
                    "Ihr Bestätigungscode lautet %1$s. Er ist %2$d Minuten gültig. Geben Sie ihn an niemanden weiter.",
                    "Ihr Bestätigungscode",
                    "Ihr Bestätigungscode lautet %1$s.\n\nEr ist %2$d Minuten gültig. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail."),
            "fr", new Texts(
                    "Votre code de vérification est %1$s. Il expire dans %2$d minutes. Ne le communiquez à personne.",
                    "Votre code de vérification",
                    "Votre code de vérification est %1$s.\n\nIl expire dans %2$d minutes. Si vous ne l'avez pas demandé, ignorez cet e-mail."),
            "es", new Texts( // "código" needs UCS-2 (ó is not GSM-7): short enough for 70
                    "Tu código es %1$s. Caduca en %2$d minutos. No lo compartas.",
                    "Tu código de verificación",
                    "Tu código de verificación es %1$s.\n\nCaduca en %2$d minutos. Si no lo has solicitado, ignora este correo."),
            "pt", new Texts( // UCS-2 (ó, ã)
                    "O seu código é %1$s. Expira em %2$d minutos. Não o partilhe.",
                    "O seu código de verificação",
                    "O seu código de verificação é %1$s.\n\nExpira em %2$d minutos. Se não o pediu, ignore este e-mail."),
            "pt-BR", new Texts( // UCS-2 (ó, ã)
                    "Seu código é %1$s. Expira em %2$d minutos. Não o compartilhe.",
                    "Seu código de verificação",
                    "Seu código de verificação é %1$s.\n\nEle expira em %2$d minutos. Se você não o solicitou, ignore este e-mail."),
            "hi", new Texts( // Devanagari: UCS-2, so at most 70 code units filled
                    "आपका कोड %1$s है। यह %2$d मिनट तक मान्य है। किसी से साझा न करें।",
                    "आपका सत्यापन कोड",
                    "आपका सत्यापन कोड %1$s है।\n\nयह %2$d मिनट तक मान्य है। यदि आपने इसका अनुरोध नहीं किया है, तो इस ईमेल को अनदेखा करें।"));

    private MessageTexts() {
    }

    /**
     * The texts for a user: for each tag of [user locale, its language, org default locale, its
     * language] (absent, blank, malformed and repeated tags skipped), the org's template for that tag
     * if it has one, else the shipped one; if none matched, {@code deploymentDefault}. Tags compare
     * case-insensitively, {@code _} read as {@code -} ("de_de" = "de-DE").
     *
     * @param orgTemplates the org's own texts by tag, may be empty (or null); malformed keys never match
     */
    public static Texts resolve(String userLocale, Map<String, Texts> orgTemplates, String orgDefaultLocale,
            Texts deploymentDefault) {
        List<String> tags = new ArrayList<>(4);
        addWithLanguage(tags, userLocale);
        addWithLanguage(tags, orgDefaultLocale);
        for (String tag : tags) {
            Texts org = lookup(orgTemplates, tag);
            if (org != null) {
                return org;
            }
            Texts shipped = lookup(SHIPPED, tag);
            if (shipped != null) {
                return shipped;
            }
        }
        return deploymentDefault;
    }

    /** An organisation's SMS, filled with the longest code and validity, costs at most this many segments. */
    public static final int MAX_SMS_SEGMENTS = 3;
    /** An organisation's e-mail subject, in characters (RFC 5322's line is 998; a subject a phone shows is far less). */
    public static final int MAX_SUBJECT = 200;
    /** An organisation's e-mail sender ("Name &lt;address&gt;"), in characters. */
    public static final int MAX_HEADER = 320;
    public static final int MAX_EMAIL_BODY = 10_000;

    /** Whether an SMS template filled with the longest code (10 digits) and validity (10 minutes) is within the bound. */
    public static boolean smsWithinBound(String template) {
        return validTemplate(template) && smsSegments(fill(template, "0123456789", 10)) <= MAX_SMS_SEGMENTS;
    }

    /**
     * Whether a mail header's value is safe: not blank, at most {@code max} characters, and no control character
     * (CR and LF above all: a header injection) nor a Unicode line or paragraph separator.
     */
    public static boolean oneLine(String value, int max) {
        return value != null && !value.isBlank() && value.length() <= max
                && value.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
    }

    /**
     * SMS segments a text costs: GSM-7 (3GPP TS 23.038, the extension table's characters count two septets) 160
     * septets in one, 153 a segment when concatenated; any other character makes it UCS-2, 70 UTF-16 code units in
     * one, 67 a segment when concatenated.
     */
    public static int smsSegments(String text) {
        int septets = gsmSeptets(text);
        if (septets >= 0) {
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }
        return text.length() <= 70 ? 1 : (text.length() + 66) / 67;
    }

    /** Septets for GSM-7, or -1 if some character is in neither table (the message then goes as UCS-2). */
    static int gsmSeptets(String text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\u001B' && GSM_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return -1;
            }
        }
        return septets;
    }

    /** GSM 03.38's default alphabet, in code order 0x00-0x7F; 0x1B (escape) is never text. */
    static final String GSM_BASIC = ""
            + "@£$¥èéùìòÇ\nØø\rÅå" // 0x00-0x0F
            + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ" // 0x10-0x1F
            + " !\"#¤%&'()*+,-./" // 0x20-0x2F (0x24 is ¤, not $)
            + "0123456789:;<=>?" // 0x30-0x3F
            + "¡ABCDEFGHIJKLMNO" // 0x40-0x4F
            + "PQRSTUVWXYZÄÖÑÜ§" // 0x50-0x5F
            + "¿abcdefghijklmno" // 0x60-0x6F
            + "pqrstuvwxyzäöñüà"; // 0x70-0x7F

    /** The extension table: escape + one septet each, so 2 septets (form feed ^ { } \ [ ~ ] | €). */
    static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    /** The template filled in: digits stay ASCII whatever the default locale. */
    public static String fill(String template, String code, long minutes) {
        return String.format(Locale.ROOT, template, code, minutes);
    }

    /**
     * Whether an SMS or e-mail body template may be stored: {@code %1$s} (the code) at least once,
     * {@code %2$d} (the minutes) optionally, {@code %%} for a literal percent sign, and no other
     * conversion (no {@code %s}, {@code %3$s}, {@code %1$d}, widths, flags or {@code %n}).
     */
    public static boolean validTemplate(String template) {
        if (template == null || template.isBlank()) {
            return false;
        }
        boolean hasCode = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '%') {
                i++;
            } else if (template.startsWith("%%", i)) {
                i += 2;
            } else if (template.startsWith("%1$s", i)) {
                hasCode = true;
                i += 4;
            } else if (template.startsWith("%2$d", i)) {
                i += 4;
            } else {
                return false;
            }
        }
        return hasCode;
    }

    /** The tag's canonical lower-case form, or null if it is absent, blank or not BCP 47. */
    static String normalize(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.strip().replace('_', '-');
        if (t.isEmpty()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(t).build();
            if (locale.getLanguage().isEmpty()) { // e.g. "x-private" only
                return null;
            }
            return locale.toLanguageTag().toLowerCase(Locale.ROOT);
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    private static void addWithLanguage(List<String> tags, String localeTag) {
        String tag = normalize(localeTag);
        if (tag == null) {
            return;
        }
        addOnce(tags, tag);
        int dash = tag.indexOf('-');
        if (dash > 0) {
            addOnce(tags, tag.substring(0, dash));
        }
    }

    private static void addOnce(List<String> tags, String tag) {
        if (!tags.contains(tag)) {
            tags.add(tag);
        }
    }

    /** The entry whose key normalizes to {@code tag}; small maps, so a scan is fine. */
    private static Texts lookup(Map<String, Texts> templates, String tag) {
        if (templates == null || templates.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Texts> e : templates.entrySet()) {
            if (e.getValue() != null && tag.equals(normalize(e.getKey()))) {
                return e.getValue();
            }
        }
        return null;
    }
}
