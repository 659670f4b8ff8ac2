package dev.otpgate.otp;

import java.util.Optional;

/** Where users and their contact details are kept. */
public interface UserDirectory {

    Optional<UserContact> find(String domainId, String userId);
}
