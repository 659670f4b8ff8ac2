package dev.otpgate.otp;

/** What a courier sends: the code, where to, and for how long it is valid. */
public record OtpMessage(Channel channel, String destination, String code, long validMinutes) {

    @Override
    public String toString() { // never print the code by accident
        return "OtpMessage[" + channel + " to " + Masking.destination(channel, destination) + "]";
    }
}
