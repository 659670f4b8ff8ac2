package dev.otpgate.dynamo;

import java.util.List;

/**
 * The limits table's items that are one directory user's, spelled as the function keys them (LimitItems),
 * for the operators' tool: {@code user show} reads them, {@code user remove} erases them. {@code domainKey}
 * is the domain as the user's organisation keys it (otp/OrgKeys).
 */
public final class UserLimitKeys {

    private UserLimitKeys() {
    }

    /** Their send cooldown and window count, and the pointer to their current code. */
    public static String sends(String domainKey, String userId) {
        return LimitItems.user(domainKey, userId);
    }

    /** Their last send and its latest delivery event, as this region recorded them. */
    public static String lastSend(String domainKey, String userId) {
        return LimitItems.lastSend(domainKey, userId);
    }

    public static String consecutiveFailures(String domainKey, String userId) {
        return LimitItems.consecutiveFailures(domainKey, userId);
    }

    /** {@code hour}: epoch seconds / 3600. */
    public static String failedGuesses(String domainKey, String userId, long hour) {
        return LimitItems.failedGuesses(domainKey, userId, hour);
    }

    /** The beginnings of every key of the user's that is one of a series (an hour's, a window's). */
    public static List<String> seriesPrefixes(String domainKey, String userId) {
        String hourly = LimitItems.failedGuesses(domainKey, userId, 0);
        String windows = LimitItems.userSends(domainKey, userId, 0);
        return List.of(hourly.substring(0, hourly.length() - 1), windows.substring(0, windows.length() - 1));
    }
}
