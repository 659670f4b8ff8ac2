package dev.otpgate.otp;

/** Shows just enough of a destination for a person to recognise it, for answers and logs. */
public final class Masking {

    private Masking() {
    }

    /** {@code +14155554219} becomes {@code ********4219}. */
    public static String phone(String e164) {
        if (e164 == null || e164.length() < 4) {
            return "****";
        }
        return "********" + e164.substring(e164.length() - 4);
    }

    /** {@code abcd@example.com} becomes {@code ab***@ex***.com}. */
    public static String email(String address) {
        if (address == null) {
            return "***";
        }
        int at = address.indexOf('@');
        if (at < 0) {
            return "***";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        String host = dot < 0 ? domain : domain.substring(0, dot);
        String tld = dot < 0 ? "" : domain.substring(dot);
        return head(local) + "***@" + head(host) + "***" + tld;
    }

    public static String destination(Channel channel, String destination) {
        return channel.phone() ? phone(destination) : email(destination);
    }

    private static String head(String s) {
        return s.substring(0, Math.min(2, s.length()));
    }
}
