package dev.otpgate.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.otpgate.otp.MessageTexts.Texts;
import io.smallrye.config.WithDefault;

class MessageTextsTest {

    /** The longest code (otp.code-length is at most 10) and the longest validity (at most 10 minutes). */
    private static final String LONGEST_CODE = "0123456789";
    private static final long LONGEST_MINUTES = 10;

    // ---- GSM 03.38 (3GPP TS 23.038 6.2.1): MessageTexts' tables, checked against the standard ----

    /** "GSM-7 n/160" or "UCS-2 n/70", and whether it fits one segment. */
    private static String encoding(String text) {
        int septets = MessageTexts.gsmSeptets(text);
        return septets >= 0 ? "GSM-7 " + septets + "/160" : "UCS-2 " + text.length() + "/70";
    }

    private static boolean fitsOneSegment(String text) {
        int septets = MessageTexts.gsmSeptets(text);
        return septets >= 0 ? septets <= 160 : text.length() <= 70;
    }

    @Test
    void gsmTablesAreTheStandardOnes() {
        assertEquals(128, MessageTexts.GSM_BASIC.length());
        assertEquals(128, MessageTexts.GSM_BASIC.chars().distinct().count());
        for (char c : "éèùìòàäöüñßÄÖÜÑÅåÆæØøÉÇ@£¥¤§¡¿ΔΦΓΛΩΠΨΣΘΞ".toCharArray()) {
            assertEquals(1, MessageTexts.gsmSeptets(String.valueOf(c)), "basic: " + c);
        }
        for (char c : "çêâôãõáíóúûîïëœÀÈÁÍÓÚ`".toCharArray()) {
            assertEquals(-1, MessageTexts.gsmSeptets(String.valueOf(c)), "not GSM-7: " + c);
        }
        for (char c : "€[]{}^~\\|".toCharArray()) {
            assertEquals(2, MessageTexts.gsmSeptets(String.valueOf(c)), "extension: " + c);
        }
        assertEquals(-1, MessageTexts.gsmSeptets("\u001B"));
        assertEquals(-1, MessageTexts.gsmSeptets("क"));
        assertEquals("GSM-7 4/160", encoding("a€b"));
    }

    // ---- the shipped texts ----

    static Stream<Arguments> shipped() {
        return MessageTexts.SHIPPED.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void theRequiredLanguagesShip() {
        for (String tag : new String[] { "en", "de", "fr", "es", "pt", "hi" }) {
            assertTrue(MessageTexts.SHIPPED.containsKey(tag), tag);
        }
        for (String tag : MessageTexts.SHIPPED.keySet()) {
            assertEquals(Locale.forLanguageTag(tag).toLanguageTag(), tag, "a BCP 47 tag in its usual spelling");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void everySmsFitsOneSegmentWithTheLongestCodeAndValidity(String tag, Texts texts) {
        String sms = MessageTexts.fill(texts.sms(), LONGEST_CODE, LONGEST_MINUTES);
        String what = tag + ": " + encoding(sms) + ": " + sms;
        System.out.println("SMS " + what);
        assertTrue(fitsOneSegment(sms), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void everyTemplateIsValidAndShowsCodeAndMinutes(String tag, Texts texts) {
        for (String template : new String[] { texts.sms(), texts.emailBody() }) {
            assertTrue(MessageTexts.validTemplate(template), tag + ": " + template);
            assertTrue(template.contains("%2$d"), tag + " says how long: " + template);
            String filled = MessageTexts.fill(template, LONGEST_CODE, 7);
            assertTrue(filled.contains(LONGEST_CODE), tag + ": " + filled);
            assertTrue(filled.contains(" 7 "), tag + ": " + filled);
            assertFalse(filled.contains("%"), tag + ": " + filled);
            assertEquals(filled.strip(), filled, tag);
        }
        assertTrue(texts.emailSubject().length() <= 60, tag + ": " + texts.emailSubject());
        assertFalse(texts.emailSubject().isBlank(), tag);
        assertFalse(texts.emailSubject().contains("%"), tag + ": the subject holds no code");
        assertTrue(texts.emailBody().contains("\n\n"), tag + ": the body is a few short lines");
    }

    @Test
    void digitsStayAsciiWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("hi-IN-u-nu-deva"));
            assertEquals("आपका कोड 012345 है। यह 5 मिनट तक मान्य है। किसी से साझा न करें।",
                    MessageTexts.fill(MessageTexts.SHIPPED.get("hi").sms(), "012345", 5));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void englishIsTodaysOtpConfigDefaults() throws Exception {
        Texts en = MessageTexts.SHIPPED.get("en");
        assertEquals(withDefault(OtpConfig.Sms.class, "template"), en.sms());
        assertEquals(withDefault(OtpConfig.Email.class, "subject"), en.emailSubject());
        assertEquals(withDefault(OtpConfig.Email.class, "template"), en.emailBody());
    }

    private static String withDefault(Class<?> type, String method) throws NoSuchMethodException {
        return type.getMethod(method).getAnnotation(WithDefault.class).value();
    }

    @Test
    void toStringShowsTheTemplates() {
        assertTrue(MessageTexts.SHIPPED.get("en").toString().contains("%1$s"));
    }

    // ---- validTemplate ----

    @ParameterizedTest
    @ValueSource(strings = { "Code %1$s", "%1$s", "Code %1$s, %2$d min", "%2$d min: %1$s", "100%% yours: %1$s",
            "%1$s (%1$s) %2$d" })
    void validTemplates(String template) {
        assertTrue(MessageTexts.validTemplate(template), template);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "No code", "Minutes only %2$d", "Code %s", "Code %1$s %3$s", "Code %1$d",
            "Code %2$s %1$s", "Code %1$S", "Code %1$10s", "Code %1$s%n", "Code %1$s 100%", "Code %1$s %", "%-1$s",
            "%<s %1$s", "Code %1$s %2$x" })
    void invalidTemplates(String template) {
        assertFalse(MessageTexts.validTemplate(template), template);
    }

    @Test
    void nullIsNoTemplate() {
        assertFalse(MessageTexts.validTemplate(null));
    }

    // ---- resolution order ----

    private static final Texts DEPLOYMENT = new Texts("deployment %1$s %2$d", "deployment", "deployment %1$s %2$d");
    private static final Texts ORG_DE = new Texts("org-de %1$s %2$d", "org-de", "org-de %1$s %2$d");
    private static final Texts ORG_DE_AT = new Texts("org-de-AT %1$s %2$d", "org-de-AT", "org-de-AT %1$s %2$d");
    private static final Texts ORG_IT = new Texts("org-it %1$s %2$d", "org-it", "org-it %1$s %2$d");

    private static final Map<String, Texts> ORG = Map.of("de", ORG_DE, "DE_at", ORG_DE_AT, "it", ORG_IT);

    /** What a name in the table stands for. */
    private static Texts texts(String name) {
        return switch (name) {
            case "deployment" -> DEPLOYMENT;
            case "org-de" -> ORG_DE;
            case "org-de-AT" -> ORG_DE_AT;
            case "org-it" -> ORG_IT;
            default -> MessageTexts.SHIPPED.get(name.substring("shipped-".length()));
        };
    }

    /** user locale | org templates? | org default locale | expected ("shipped-xx" = SHIPPED.get("xx")) */
    @ParameterizedTest(name = "user={0} org={1} orgDefault={2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // exact locale, then its language
            "fr         | no  | null  | shipped-fr",
            "fr-CA      | no  | null  | shipped-fr",
            "pt-BR      | no  | null  | shipped-pt-BR",
            "pt-PT      | no  | null  | shipped-pt",
            "pt         | no  | null  | shipped-pt",
            "hi-IN      | no  | null  | shipped-hi",
            "en-US      | no  | null  | shipped-en",
            // spellings: case and '_' do not matter
            "de_DE      | no  | null  | shipped-de",
            "DE-de      | no  | null  | shipped-de",
            "pt_br      | no  | null  | shipped-pt-BR",
            "PT-br      | no  | null  | shipped-pt-BR",
            " es-MX     | no  | null  | shipped-es",
            // the org's template beats the shipped one, for the exact tag and for the language
            "de         | yes | null  | org-de",
            "de-DE      | yes | null  | org-de",
            "de_de      | yes | null  | org-de",
            "de-AT      | yes | null  | org-de-AT",
            "de_at      | yes | null  | org-de-AT",
            "it-IT      | yes | null  | org-it",
            // the user's language (even shipped) comes before the org's default locale
            "fr-FR      | yes | de    | shipped-fr",
            "pt-BR      | yes | it    | shipped-pt-BR",
            // nothing for the user: the org's default locale, then its language
            "ja-JP      | no  | es    | shipped-es",
            "ja-JP      | no  | es-AR | shipped-es",
            "ja-JP      | yes | de-CH | org-de",
            "ja-JP      | yes | de-AT | org-de-AT",
            "ja-JP      | yes | it    | org-it",
            "ja-JP      | no  | fr_ca | shipped-fr",
            "null       | no  | hi    | shipped-hi",
            "null       | yes | de    | org-de",
            // nothing matches: the deployment's default
            "ja-JP      | no  | null  | deployment",
            "ja-JP      | yes | ko-KR | deployment",
            "null       | no  | null  | deployment",
            "null       | yes | null  | deployment",
            "it         | no  | null  | deployment",
            // blank and malformed locales count as absent, never throw
            "''         | no  | null  | deployment",
            "'   '      | no  | ''    | deployment",
            "'   '      | no  | fr    | shipped-fr",
            "de--DE     | no  | fr    | shipped-fr",
            "-          | no  | fr    | shipped-fr",
            "_          | no  | fr    | shipped-fr",
            "x-private  | no  | fr    | shipped-fr",
            "und        | no  | fr    | shipped-fr",
            "123        | no  | fr    | shipped-fr",
            "de-DE!     | yes | null  | deployment",
            "'fr FR'    | no  | es    | shipped-es",
            "fr         | no  | '%1$s'| shipped-fr",
            "zz         | no  | %%%   | deployment",
            "toolonglanguage | no | null | deployment",
    })
    void resolutionOrder(String user, String org, String orgDefault, String expected) {
        Map<String, Texts> orgTemplates = "yes".equals(org) ? ORG : Map.of();
        assertSame(texts(expected), MessageTexts.resolve(user, orgTemplates, orgDefault, DEPLOYMENT));
    }

    @Test
    void anOrgMayOverrideEvenEnglish() {
        Texts orgEn = new Texts("ACME code %1$s (%2$d min)", "ACME code", "ACME code %1$s, %2$d min.");
        assertSame(orgEn, MessageTexts.resolve("en-GB", Map.of("en", orgEn), null, DEPLOYMENT));
        assertSame(MessageTexts.SHIPPED.get("en"), MessageTexts.resolve("en-GB", Map.of(), null, DEPLOYMENT));
    }

    @Test
    void anOrgMapWithNullOrMalformedEntriesIsSkipped() {
        Map<String, Texts> org = new HashMap<>();
        org.put(null, ORG_IT);
        org.put("de--DE", ORG_DE_AT);
        org.put("de", null);
        org.put("", ORG_IT);
        assertSame(MessageTexts.SHIPPED.get("de"), MessageTexts.resolve("de-DE", org, null, DEPLOYMENT));
        assertSame(DEPLOYMENT, MessageTexts.resolve("ja", org, null, DEPLOYMENT));
        assertSame(DEPLOYMENT, MessageTexts.resolve("ja", null, null, DEPLOYMENT));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = { "de_DE, de-de", "DE-de, de-de", "' pt_br ', pt-br", "hi, hi",
            "null, null", "'', null", "de--DE, null", "und, null", "x-abc, null" })
    void normalize(String tag, String expected) {
        String normalized = MessageTexts.normalize(tag);
        if (expected == null) {
            assertNull(normalized, tag);
        } else {
            assertEquals(expected, normalized);
        }
    }
    // ---- an organisation's texts are bounded (issue 16, finding 6): segments, length, one-line headers ----

    @Test
    void smsSegmentsAreCountedAsCarriersCountThem() {
        assertEquals(1, MessageTexts.smsSegments("a".repeat(160)));
        assertEquals(2, MessageTexts.smsSegments("a".repeat(161)), "153 septets a segment once concatenated");
        assertEquals(3, MessageTexts.smsSegments("a".repeat(459)));
        assertEquals(4, MessageTexts.smsSegments("a".repeat(460)));
        assertEquals(1, MessageTexts.smsSegments("€".repeat(80)), "the extension table: 2 septets each");
        assertEquals(2, MessageTexts.smsSegments("€".repeat(81)));
        assertEquals(1, MessageTexts.smsSegments("ó".repeat(70)), "not GSM-7: UCS-2");
        assertEquals(2, MessageTexts.smsSegments("ó".repeat(71)), "67 code units a segment once concatenated");
        assertEquals(3, MessageTexts.smsSegments("ó".repeat(201)));
        assertEquals(4, MessageTexts.smsSegments("ó".repeat(202)));
        MessageTexts.SHIPPED.forEach((tag, texts) -> {
            String sms = MessageTexts.fill(texts.sms(), LONGEST_CODE, LONGEST_MINUTES);
            assertEquals(fitsOneSegment(sms) ? 1 : 2, MessageTexts.smsSegments(sms), tag);
        });
    }

    @Test
    void anOrganisationsSmsIsAtMostThreeSegmentsFilledWithTheLongestCode() {
        String three = "%1$s " + "a".repeat(459 - 11); // 459 septets with a 10-digit code
        assertEquals(List.of(), problems(new Texts(three, "Code", "Code %1$s")));
        assertEquals(List.of("template de sms: at most 3 SMS segments with a 10-digit code (459 GSM-7 or 201 UCS-2 characters)"),
                problems(new Texts(three + "a", "Code", "Code %1$s")));
        assertEquals(1, problems(new Texts("%1$s " + "ó".repeat(201 - 11 + 1), "Code", "Code %1$s")).size(), "UCS-2");
    }

    @Test
    void anOrganisationsSubjectIsOneLineOfAtMost200Characters() {
        assertEquals(List.of(), problems(new Texts("Code %1$s", "s".repeat(200), "Code %1$s")));
        for (String subject : new String[] { "s".repeat(201), "Code\r\nBcc: victim@evil.example", "Code\nX", "Code\rX",
                "Code\u0000", "Code\u2028X", "Code\tX" }) {
            assertEquals(List.of("template de email-subject: 1 to 200 characters on one line, no control characters"),
                    problems(new Texts("Code %1$s", subject, "Code %1$s")), subject);
        }
    }

    @Test
    void anOrganisationsSenderIsOneLineAndItsBodyBounded() {
        OrgSettings.Bounds bounds = new OrgSettings.Bounds(java.util.EnumSet.allOf(Channel.class), java.util.Set.of("US"),
                java.time.Duration.ofMinutes(15), 10_000, 100_000);
        assertEquals(List.of(), settings("OTP <otp@example.com>", Map.of()).problems(bounds));
        assertEquals(List.of("email-sender: an address, such as OTP <otp@example.com>, on one line"),
                settings("OTP <otp@example.com>\r\nBcc: victim@evil.example", Map.of()).problems(bounds));
        assertEquals(List.of(), problems(new Texts("Code %1$s", "Code", "Code %1$s " + "b".repeat(10_000 - 10))));
        assertEquals(List.of("template de email-body: at most 10000 characters"),
                problems(new Texts("Code %1$s", "Code", "Code %1$s " + "b".repeat(10_000 - 9))));
    }

    private static List<String> problems(Texts de) {
        return settings(null, Map.of("de", de)).problems(new OrgSettings.Bounds(java.util.EnumSet.allOf(Channel.class),
                java.util.Set.of("US"), java.time.Duration.ofMinutes(15), 10_000, 100_000));
    }

    private static OrgSettings settings(String emailSender, Map<String, Texts> templates) {
        return new OrgSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, emailSender,
                null, templates, null, null, null);
    }
}
