package dev.otpgate.otp;

/**
 * What a courier sends: where to, and the text with the code in it (for an e-mail, a subject too),
 * from the organisation's SMS sender id / origination number or e-mail sender (null: none set).
 */
public record OtpMessage(Channel channel, String destination, String subject, String text, String smsSenderId,
        String smsOriginationNumber, String emailSender) {

    @Override
    public String toString() { // never print the code by accident
        return "OtpMessage[" + channel + " to " + Masking.destination(channel, destination) + "]";
    }
}
