package dev.otpgate.otp;

import java.util.Optional;

/** Where users and their contact details are kept, each organisation's apart. */
public interface UserDirectory {

    Optional<UserContact> find(String orgId, String domainId, String userId);
}
