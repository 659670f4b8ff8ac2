package dev.otpgate.otp;

import java.util.Optional;

/**
 * Where users and their contact details are kept, each organisation's apart. Read-only for the function: the
 * directory is a global table that operators write (docs/regions.md); only the user-wide lock's copy
 * (dynamo/UserLockMirror) is written from a request.
 */
public interface UserDirectory {

    Optional<UserContact> find(String orgId, String domainId, String userId);
}
