package dev.otpgate.otp;

/** A user of the directory: who the code is for and where it can go. */
public record UserContact(String domainId, String userId, String userName, String mobile, String email) {

    /** The destination on the given channel, or null when the user has none. */
    public String destination(Channel channel) {
        String value = channel == Channel.SMS ? mobile : email;
        return value == null || value.isBlank() ? null : value.trim();
    }
}
