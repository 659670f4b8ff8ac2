package dev.otpgate.otp;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * A delivery event changes the transaction it names, and its user's "last send", only if it is that transaction's
 * own: the transaction exists, belongs to the event's OrgID and was sent as the event's MessageId (one conditional
 * UpdateItem, no read). Anything else (another organisation's transaction, a made-up id, an older event than the one
 * recorded) changes nothing. AWS round trips: one UpdateItem on the transaction, and when it matched one on the
 * user's last-send item of otp-limits (regional; never the directory, which operators write in any region).
 */
@ApplicationScoped
public class RecordDelivery {

    private static final Logger LOG = Logger.getLogger(RecordDelivery.class);

    /** A recorded event: the transaction's channel and country, for the delivery metrics. */
    public record Recorded(Channel channel, String country) {
    }

    private final OtpStore store;

    RecordDelivery(OtpStore store) {
        this.store = store;
    }

    public Optional<Recorded> record(DeliveryEvent event) {
        Optional<OtpTransaction> owned = store.recordOutcome(event);
        if (owned.isEmpty()) {
            LOG.infof("Delivery event %s for transaction %s changed nothing: not this deployment's send, or older than the"
                    + " outcome recorded", event.eventType(), event.transactionId());
            return Optional.empty();
        }
        OtpTransaction t = owned.get();
        store.recordLastSend(t, event);
        return Optional.of(new Recorded(t.channel(), t.country() == null ? DestinationCountry.UNKNOWN : t.country()));
    }
}
