package dev.otpgate.otp;

/**
 * Where a code goes, as the call log and the metrics may say it: the ISO 3166 region of an SMS number,
 * {@value #EMAIL} for an e-mail (never its domain), {@value #UNKNOWN} when not known. Nothing else, so that a
 * metric dimensioned by it has a bounded number of values.
 */
public final class DestinationCountry {

    public static final String EMAIL = "EMAIL";
    public static final String UNKNOWN = "XX";

    private DestinationCountry() {
    }

    /** {@code country} if it is a two-letter code (not "ZZ", libphonenumber's unknown) or EMAIL, else XX. */
    public static String bounded(String country) {
        if (country == null) {
            return UNKNOWN;
        }
        return EMAIL.equals(country) || (isRegion(country) && !"ZZ".equals(country)) ? country : UNKNOWN;
    }

    private static boolean isRegion(String s) {
        return s.length() == 2 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }
}
