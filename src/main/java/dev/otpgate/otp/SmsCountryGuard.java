package dev.otpgate.otp;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * SMS pumping guard: an SMS goes only to a valid mobile number in a country on the allow-list. Numbers are
 * parsed, validated and typed by libphonenumber, never by a regex: premium-rate, toll-free, shared-cost,
 * personal, pager, VoIP and fixed-line numbers get no SMS (they cannot receive it, or they bill the sender).
 */
@ApplicationScoped
public class SmsCountryGuard {

    /** The number types an SMS goes to: FIXED_LINE_OR_MOBILE is where a country's plan cannot tell (US, CA). */
    private static final Set<PhoneNumberType> SMS_TYPES = Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);

    /**
     * The number types a call goes to: landlines and mobiles. Never premium-rate, shared-cost, toll-free, personal,
     * UAN, VoIP or pager numbers: where international revenue-share fraud makes its money.
     */
    private static final Set<PhoneNumberType> CALL_TYPES = Set.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    /**
     * As {@link #check}, for a call: a valid number in an allowed country (the same list: a call is billed like an SMS)
     * that is a landline or a mobile; otherwise a 422 that does not show the number.
     */
    public Allowed checkCall(String number, Set<String> allowed) {
        PhoneNumber parsed = valid(number, allowed);
        if (!CALL_TYPES.contains(phones.getNumberType(parsed))) {
            throw new OtpFailure(Kind.UNPROCESSABLE, "The user's phone number cannot receive a call: it is not a landline or a mobile");
        }
        return new Allowed(phones.format(parsed, PhoneNumberFormat.E164), phones.getRegionCodeForNumber(parsed));
    }

    private PhoneNumber valid(String number, Set<String> allowed) {
        PhoneNumber parsed;
        try {
            parsed = phones.parse(number, null);
        } catch (NumberParseException e) {
            throw notValid();
        }
        if (!phones.isValidNumber(parsed)) {
            throw notValid();
        }
        if (!allowed.contains(phones.getRegionCodeForNumber(parsed))) {
            throw new OtpFailure(Kind.UNPROCESSABLE, "SMS to the user's country is not enabled");
        }
        return parsed;
    }

    /**
     * The number in E.164 and its region if an SMS may go there ({@code allowed}: ISO 3166 region codes, upper
     * case); otherwise a 422 that does not show the number. One parse serves the route, the fraud guard and the log.
     */
    public Allowed check(String mobile, Set<String> allowed) {
        PhoneNumber number;
        try {
            number = phones.parse(mobile, null); // directory numbers are E.164: no default region
        } catch (NumberParseException e) {
            throw notValid();
        }
        if (!phones.isValidNumber(number)) {
            throw notValid();
        }
        String region = phones.getRegionCodeForNumber(number);
        if (!allowed.contains(region)) {
            throw new OtpFailure(Kind.UNPROCESSABLE, "SMS to the user's country is not enabled");
        }
        if (!SMS_TYPES.contains(phones.getNumberType(number))) {
            throw new OtpFailure(Kind.UNPROCESSABLE, "The user's phone number cannot receive SMS: it is not a mobile number");
        }
        return new Allowed(phones.format(number, PhoneNumberFormat.E164), region);
    }

    /** A number an SMS may go to, in E.164, and its ISO 3166 region. */
    public record Allowed(String e164, String region) {

        @Override
        public String toString() {
            return "Allowed[" + Masking.destination(Channel.SMS, e164) + " in " + region + "]";
        }
    }

    private static OtpFailure notValid() {
        return new OtpFailure(Kind.UNPROCESSABLE, "The user's mobile number is not a valid phone number");
    }
}
