package dev.otpgate.otp;

/**
 * A user of the directory: who the code is for, where it can go, the channel the user prefers (null:
 * the organisation's), the user's locale (BCP 47, null: the organisation's default language), and whether the
 * user-wide lock holds the user (set in whichever region the guesses were made: docs/regions.md).
 */
public record UserContact(String domainId, String userId, String userName, String mobile, String email,
        Channel prefer, String locale, boolean locked) {

    /** The destination on the given channel, or null when the user has none. */
    public String destination(Channel channel) {
        String value = channel.phone() ? mobile : email;
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() { // contact details stay out of logs
        return "UserContact[" + domainId + "/" + userId + "]";
    }
}
