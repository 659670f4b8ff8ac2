package dev.otpgate.otp;

/** How a code reaches its user. */
public enum Channel {
    SMS, EMAIL;

    /** A stored name, or null when it is none this version knows: a bad value is no value, not a failed request. */
    public static Channel parse(String name) {
        for (Channel c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
