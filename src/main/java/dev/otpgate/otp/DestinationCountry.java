package dev.otpgate.otp;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * Where a code goes, as the call log and the metrics may say it: the ISO 3166 region of an SMS number,
 * {@value #EMAIL} for an e-mail (never its domain), {@value #UNKNOWN} when not known. Nothing else, so that a
 * metric dimensioned by it has a bounded number of values.
 */
public final class DestinationCountry {

    public static final String EMAIL = "EMAIL";
    public static final String UNKNOWN = "XX";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private DestinationCountry() {
    }

    public static String of(Channel channel, String destination) {
        if (channel == Channel.EMAIL) {
            return EMAIL;
        }
        try {
            return bounded(PHONES.getRegionCodeForNumber(PHONES.parse(destination, null)));
        } catch (NumberParseException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** {@code country} if it is a two-letter code (not "ZZ", libphonenumber's unknown) or EMAIL, else XX. */
    public static String bounded(String country) {
        if (country == null) {
            return UNKNOWN;
        }
        return EMAIL.equals(country) || (country.matches("[A-Z]{2}") && !"ZZ".equals(country)) ? country : UNKNOWN;
    }
}
