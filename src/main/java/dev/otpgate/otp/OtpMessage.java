package dev.otpgate.otp;

import java.time.Instant;

/**
 * What a courier sends: where to, and the text with the code in it (for an e-mail, a subject too; for a call, the
 * SSML it reads and the voice that reads it), from the organisation's SMS sender id / origination number or e-mail
 * sender (null: none set). {@code transactionId} and {@code orgId} let a delivery event find its send again;
 * {@code expiresAt} is when the code stops working, after which nothing should still be delivered. {@code maxPrice}: the
 * organisation's price cap per SMS part in USD (null: the deployment's).
 */
public record OtpMessage(Channel channel, String destination, String subject, String text, String smsSenderId,
        String smsOriginationNumber, String emailSender, String transactionId, String orgId, Instant expiresAt,
        String voice, String maxPrice) {

    @Override
    public String toString() { // never print the code by accident
        return "OtpMessage[" + channel + " to " + Masking.destination(channel, destination) + "]";
    }
}
