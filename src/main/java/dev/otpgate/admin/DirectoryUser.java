package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.otpgate.dynamo.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One user of the directory as the tool takes it in ({@code user put}, one row of {@code user import}) and
 * gives it out ({@code user export}). The checks are the same for both, so a file's row is refused exactly
 * when the same values given to {@code user put} would be. A null or "" contact field is "none".
 */
record DirectoryUser(String domainId, String userId, String userName, String mobile, String email, String prefer,
        String locale) {

    /** The CSV header and the JSON Lines names, in this order. */
    static final String[] FIELDS = { "DomainId", "UserID", "UserName", "Mobile", "Email", "Prefer", "Locale" };

    private static final String ID = "[\\p{Alnum}._@:-]{1,64}";
    /** The envelope's bound on UserName (api/GenerateOtpInput). */
    static final int MAX_NAME = 256;
    /** What the function strips from a name before it logs one (auth/Authenticator): a line break, NUL, ESC, ... */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");
    /** One address: a dot-atom local part (no comma, quote, space or control character) and a domain of labels. */
    private static final String EMAIL = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~.-]{1,64}@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)+";
    private static final Set<PhoneNumberType> UNREACHABLE = EnumSet.of(PhoneNumberType.PREMIUM_RATE,
            PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN, PhoneNumberType.PAGER,
            PhoneNumberType.VOICEMAIL);
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /**
     * Why this user cannot be stored, or empty when it can. {@code option} names a field as the operator wrote it.
     * What the function would refuse is refused here: a name longer than the envelope's (256) or holding a
     * control character, a number no code can reach or that bills the sender, more than one e-mail address.
     */
    Optional<String> problem(java.util.function.UnaryOperator<String> option) {
        if (blank(domainId) || blank(userId) || blank(userName)) {
            String missing = blank(domainId) ? "domain" : blank(userId) ? "user" : "name";
            return Optional.of(option.apply(missing) + " is needed");
        }
        if (!domainId.matches(ID)) {
            return Optional.of(option.apply("domain") + " may hold only letters, digits and . _ @ : -");
        }
        if (!userId.matches(ID)) {
            return Optional.of(option.apply("user") + " may hold only letters, digits and . _ @ : -");
        }
        if (userName.length() > MAX_NAME) {
            return Optional.of(option.apply("name") + " may have at most " + MAX_NAME + " characters");
        }
        if (CONTROL.matcher(userName).find()) {
            return Optional.of(option.apply("name") + " may not hold control characters (a line break, NUL, ESC)");
        }
        if (!blank(mobile)) {
            Optional<String> wrong = mobileProblem(mobile);
            if (wrong.isPresent()) {
                return Optional.of(option.apply("mobile") + wrong.get());
            }
        }
        if (!blank(email) && (email.length() > 254 || !email.matches(EMAIL))) {
            return Optional.of(option.apply("email") + " must be one e-mail address, such as ann@example.com");
        }
        if (!blank(prefer) && !prefer.equals("SMS") && !prefer.equals("EMAIL") && !prefer.equals("VOICE")) {
            return Optional.of(option.apply("prefer") + " must be SMS, VOICE or EMAIL");
        }
        if (!blank(locale) && (locale.length() > 35 || !locale.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*"))) {
            return Optional.of(option.apply("locale") + " must be a BCP 47 tag, such as de-DE");
        }
        return Optional.empty();
    }

    /**
     * The function sends only to numbers libphonenumber finds valid (otp/SmsCountryGuard); a number of a type
     * no code goes to, or that bills the sender, is refused here. A landline is kept: it may take a code another
     * way, and the function answers for it.
     */
    private static Optional<String> mobileProblem(String mobile) {
        if (!mobile.matches("\\+[1-9]\\d{6,14}")) {
            return Optional.of(" must be in E.164 form: +, the country code and the number, such as +14155550142");
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(mobile, null);
        } catch (NumberParseException e) {
            return Optional.of(" is not a valid number for its country code");
        }
        if (!PHONES.isValidNumber(number)) {
            return Optional.of(" is not a valid number for its country code");
        }
        PhoneNumberType type = PHONES.getNumberType(number);
        if (UNREACHABLE.contains(type)) {
            return Optional.of(" cannot take a code: it is a " + type.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " number");
        }
        return Optional.empty();
    }

    /** The directory item's attributes this user sets; an absent contact field is no attribute. */
    Map<String, AttributeValue> attributes(String domainKey) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Attr.DOMAIN_ID, s(domainKey));
        item.put(Attr.USER_ID, s(userId));
        item.put(Attr.USER_NAME, s(userName));
        putIfSet(item, Attr.MOBILE, mobile);
        putIfSet(item, Attr.EMAIL, email);
        putIfSet(item, Attr.PREFER, prefer);
        putIfSet(item, Attr.LOCALE, locale);
        return item;
    }

    /** The user of a directory item whose domain, without its organisation's prefix, is {@code domainId}. */
    static DirectoryUser of(String domainId, Map<String, AttributeValue> item) {
        return new DirectoryUser(domainId, Attr.string(item, Attr.USER_ID), Attr.string(item, Attr.USER_NAME),
                Attr.string(item, Attr.MOBILE), Attr.string(item, Attr.EMAIL), Attr.string(item, Attr.PREFER),
                Attr.string(item, Attr.LOCALE));
    }

    /** The fields in {@link #FIELDS} order, "" for none. */
    String[] values() {
        return new String[] { orEmpty(domainId), orEmpty(userId), orEmpty(userName), orEmpty(mobile), orEmpty(email),
                orEmpty(prefer), orEmpty(locale) };
    }

    private static void putIfSet(Map<String, AttributeValue> item, String attribute, String value) {
        if (!blank(value)) {
            item.put(attribute, s(value));
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
