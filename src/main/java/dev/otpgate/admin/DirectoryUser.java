package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

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
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** Why this user cannot be stored, or empty when it can. {@code option} names a field as the operator wrote it. */
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
        if (!blank(mobile) && !validMobile(mobile)) {
            return Optional.of(option.apply("mobile") + " must be a valid number in E.164 form, such as +14155550142");
        }
        if (!blank(email) && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            return Optional.of(option.apply("email") + " must be an e-mail address");
        }
        if (!blank(prefer) && !prefer.equals("SMS") && !prefer.equals("EMAIL") && !prefer.equals("VOICE")) {
            return Optional.of(option.apply("prefer") + " must be SMS, VOICE or EMAIL");
        }
        if (!blank(locale) && !locale.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")) {
            return Optional.of(option.apply("locale") + " must be a BCP 47 tag, such as de-DE");
        }
        return Optional.empty();
    }

    /** The function sends only to numbers libphonenumber finds valid (otp/SmsCountryGuard): the same test here. */
    private static boolean validMobile(String mobile) {
        if (!mobile.matches("\\+[1-9]\\d{6,14}")) {
            return false;
        }
        try {
            return PHONES.isValidNumber(PHONES.parse(mobile, null));
        } catch (NumberParseException e) {
            return false;
        }
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
        return new String[] { domainId, userId, userName, orEmpty(mobile), orEmpty(email), orEmpty(prefer),
                orEmpty(locale) };
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
