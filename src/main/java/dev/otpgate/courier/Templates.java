package dev.otpgate.courier;

import dev.otpgate.otp.OtpMessage;

/** Fills a configured message template: %1$s is the code, %2$d the minutes it is valid. */
public final class Templates {

    private Templates() {
    }

    public static String body(String template, OtpMessage message) {
        return String.format(template, message.code(), message.validMinutes());
    }
}
