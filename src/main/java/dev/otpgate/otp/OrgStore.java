package dev.otpgate.otp;

import java.util.Optional;

/** Where each organisation's settings are kept. */
public interface OrgStore {

    /** The organisation's settings, or empty when it has none (the deployment's configuration applies). */
    Optional<OrgSettings> find(String orgId);
}
