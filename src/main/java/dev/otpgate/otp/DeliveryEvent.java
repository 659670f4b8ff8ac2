package dev.otpgate.otp;

import java.time.Instant;

/**
 * What End User Messaging reported about one send (a configuration set event): the TransactionID and OrgID its
 * Context carried, the provider's MessageId, the event type (TEXT_DELIVERED, TEXT_FAILED, VOICE_COMPLETED, ...), whether
 * it is the message's final state, and when it happened. Never the number (events carry it; it is not kept).
 */
public record DeliveryEvent(String transactionId, String orgId, String messageId, String eventType, boolean isFinal,
        Instant at) {

    /**
     * A final outcome that means the code reached the phone (TEXT_DELIVERED, a final TEXT_SUCCESSFUL; a call answered and
     * played to the end), for
     * the delivery rate; null for an event that says nothing final (queued, pending, ringing...).
     */
    public Boolean delivered() {
        if (!isFinal) {
            return null;
        }
        // TEXT_SUCCESSFUL is final where the carrier sends no delivery receipt: handed over, as far as anyone will know
        return eventType.equals("TEXT_DELIVERED") || eventType.equals("TEXT_SUCCESSFUL") || eventType.equals("VOICE_COMPLETED");
    }
}
