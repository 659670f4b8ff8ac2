package dev.otpgate.otp;

/** How a code reaches its user. */
public enum Channel {
    SMS, EMAIL,
    /** A call that reads the code (End User Messaging voice): for numbers that cannot take SMS, where allowed. */
    VOICE;

    /** A stored name, or null when it is none this version knows: a bad value is no value, not a failed request. */
    public static Channel parse(String name) {
        for (Channel c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Goes to a phone number (the user's Mobile): SMS or a call. */
    public boolean phone() {
        return this != EMAIL;
    }

    /**
     * The channel a send counts as in the limits and the fraud guard: a call as an SMS (both are billed per phone
     * number and country; international revenue-share fraud is voice pumping), so that one number, country, budget
     * and quota hold for both.
     */
    public Channel counted() {
        return phone() ? SMS : EMAIL;
    }
}
