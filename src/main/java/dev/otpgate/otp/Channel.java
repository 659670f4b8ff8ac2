package dev.otpgate.otp;

/** How a code reaches its user. */
public enum Channel {
    SMS, EMAIL
}
