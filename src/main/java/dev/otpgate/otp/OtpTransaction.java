package dev.otpgate.otp;

import java.time.Instant;

/** One code handed out: everything needed to check it later, but never the code itself. */
public record OtpTransaction(
        String transactionId,
        String orgId,
        String domainId,
        String userId,
        String loginUid,
        Channel channel,
        String codeHash,
        Instant createdAt,
        Instant expiresAt,
        int attemptsLeft,
        int codeLength,
        State state,
        SendMark mark,
        String country,
        String messageId) {

    public OtpTransaction(String transactionId, String orgId, String domainId, String userId, String loginUid,
            Channel channel, String codeHash, Instant createdAt, Instant expiresAt, int attemptsLeft, int codeLength,
            State state) {
        this(transactionId, orgId, domainId, userId, loginUid, channel, codeHash, createdAt, expiresAt, attemptsLeft,
                codeLength, state, null, null, null);
    }

    /**
     * The country the code was sent to ({@link DestinationCountry}: ISO code, EMAIL, XX), kept so that its
     * validation can count the conversion by country; null on codes written before it was kept.
     */
    public OtpTransaction withCountry(String destinationCountry) {
        return new OtpTransaction(transactionId, orgId, domainId, userId, loginUid, channel, codeHash, createdAt, expiresAt,
                attemptsLeft, codeLength, state, mark, destinationCountry, messageId);
    }

    /**
     * The provider's id of the message that carried the code (End User Messaging's MessageId, recorded after the send),
     * so that the right code can be reported as received for it; null when the sender gives none (SNS, SES).
     */
    public OtpTransaction withMessageId(String id) {
        return new OtpTransaction(transactionId, orgId, domainId, userId, loginUid, channel, codeHash, createdAt, expiresAt,
                attemptsLeft, codeLength, state, mark, country, id);
    }

    @Override
    public String toString() { // the keyed hash stays out of logs: with the key, 10^6 tries give the code
        return "OtpTransaction[" + transactionId + " for " + orgId + ":" + domainId + "/" + userId + ", " + state + ", expires "
                + expiresAt + "]";
    }

    public enum State {
        /** Sent, waiting for the user. */
        PENDING,
        /** Accepted once; never again. */
        USED,
        /** The send failed; nobody has the code. */
        UNDELIVERED
    }
}
