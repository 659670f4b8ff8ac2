package dev.otpgate.otp;

/**
 * How an organisation's items are keyed in the shared tables: "OrgID#key". The legacy organisation
 * (otp.tenancy.legacy-org) keeps the keys its data had before there were organisations, so that a
 * deployment's existing users, codes and counters keep working without a migration. No id can hold a
 * '#' (api/Ids), so no key of one organisation can spell another's.
 */
public record OrgKeys(String legacyOrg) {

    /** The default of otp.tenancy.legacy-org: the OrgID of the vendor's sample request. */
    public static final String DEFAULT_LEGACY_ORG = "1";

    public String scoped(String orgId, String key) {
        return legacyOrg.equals(orgId) ? key : orgId + "#" + key;
    }
}
