package dev.otpgate.otp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a call says (SSML for Amazon Polly through End User Messaging's SendVoiceMessage), per shipped language, and
 * the Polly voice that says it. The code is read digit by digit (say-as characters: "4 1 7", never "four hundred
 * seventeen"), slowly, and twice, because a listener cannot scroll back. Plain maps only (native image).
 */
public final class VoiceTexts {

    /** The SSML to read and the Polly voice (End User Messaging's VoiceId) to read it with. */
    public record Call(String ssml, String voice) {
        @Override
        public String toString() { // the SSML holds the code
            return "Call[" + voice + "]";
        }
    }

    /** One language: the voice, the sentence before the code, the one before the repeat, and the validity (%d minutes). */
    private record Lines(String voice, String intro, String again, String expires) {
    }

    /** Keyed by BCP 47 tag; a locale without its own falls back to its language, then to English. */
    static final Map<String, Lines> SHIPPED = Map.of(
            "en", new Lines("JOANNA", "Your verification code is", "Again, your code is", "It expires in %d minutes."),
            "en-GB", new Lines("AMY", "Your verification code is", "Again, your code is", "It expires in %d minutes."),
            "de", new Lines("VICKI", "Ihr Bestätigungscode lautet", "Noch einmal, Ihr Code lautet", "Er ist %d Minuten gültig."),
            "fr", new Lines("LEA", "Votre code de vérification est", "Je répète, votre code est", "Il expire dans %d minutes."),
            "es", new Lines("LUCIA", "Tu código de verificación es", "Repito, tu código es", "Caduca en %d minutos."),
            "pt", new Lines("INES", "O seu código de verificação é", "Repito, o seu código é", "Expira em %d minutos."),
            "pt-BR", new Lines("CAMILA", "Seu código de verificação é", "Repetindo, seu código é", "Expira em %d minutos."));

    private VoiceTexts() {
    }

    /** The call for a user with this locale (null: none) in an organisation with this default locale (null: none). */
    public static Call call(String userLocale, String orgLocale, String code, long minutes) {
        Lines lines = lines(userLocale, orgLocale);
        String digits = "<say-as interpret-as=\"characters\">" + code + "</say-as>";
        String ssml = "<speak><prosody rate=\"slow\">" + escape(lines.intro()) + " " + digits + ".<break time=\"1s\"/>"
                + escape(lines.again()) + " " + digits + ".<break time=\"500ms\"/>"
                + escape(String.format(Locale.ROOT, lines.expires(), minutes)) + "</prosody></speak>";
        return new Call(ssml, lines.voice());
    }

    private static Lines lines(String userLocale, String orgLocale) {
        for (String tag : candidates(userLocale, orgLocale)) {
            for (Map.Entry<String, Lines> e : SHIPPED.entrySet()) {
                if (e.getKey().equalsIgnoreCase(tag)) {
                    return e.getValue();
                }
            }
        }
        return SHIPPED.get("en");
    }

    /** [user locale, its language, org locale, its language], "_" read as "-". */
    private static List<String> candidates(String... tags) {
        List<String> out = new ArrayList<>();
        for (String tag : tags) {
            if (tag == null || tag.isBlank()) {
                continue;
            }
            String t = tag.trim().replace('_', '-');
            out.add(t);
            int dash = t.indexOf('-');
            if (dash > 0) {
                out.add(t.substring(0, dash));
            }
        }
        return out;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
