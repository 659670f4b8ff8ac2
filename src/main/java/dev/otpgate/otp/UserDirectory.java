package dev.otpgate.otp;

import java.util.Optional;

/** Where users and their contact details are kept, each organisation's apart. */
public interface UserDirectory {

    Optional<UserContact> find(String orgId, String domainId, String userId);

    /**
     * Keeps the outcome of the user's last send (for `admin user show`): the transaction, when it was sent, the event
     * type and when; an event of an older send than the one recorded changes nothing.
     */
    void recordLastSend(OtpTransaction transaction, DeliveryEvent event);
}
