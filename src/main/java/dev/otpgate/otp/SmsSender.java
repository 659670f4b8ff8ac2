package dev.otpgate.otp;

/**
 * Which AWS service an SMS goes through (otp.sms.sender): SNS, as before End User Messaging was set up, or End User
 * Messaging SMS itself, with a price cap, a time to live, a configuration set (delivery events) and conversion feedback
 * per message (docs/delivery.md).
 */
public enum SmsSender {
    SNS,
    END_USER_MESSAGING
}
