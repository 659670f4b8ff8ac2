package dev.otpgate.dynamo;

import java.util.List;

import dev.otpgate.otp.OtpConfig;

/**
 * The tables the function uses: name (from configuration), keys, and the TTL attribute if items
 * expire. template.yaml declares the same tables for AWS; the local run and the tests create them
 * from this list, and a test keeps the template in step with it.
 */
public record TableSpec(String name, String hashKey, String rangeKey, String ttlAttribute) {

    public static List<TableSpec> all(OtpConfig.Tables names) {
        return List.of(
                new TableSpec(names.users(), Attr.DOMAIN_ID, Attr.USER_ID, null),
                new TableSpec(names.transactions(), Attr.TRANSACTION_ID, null, Attr.EXPIRES_AT),
                new TableSpec(names.limits(), Attr.LIMIT_KEY, null, Attr.EXPIRES_AT),
                new TableSpec(names.callers(), Attr.ORG_ID, Attr.USER_NAME, null),
                new TableSpec(names.orgs(), Attr.ORG_ID, null, null));
    }

    /**
     * The tables that are global tables when the deployment has more than one region (docs/regions.md): what an
     * operator writes (users, callers and their keys, organisations), which every region must see. Codes
     * (otp-transactions) and counters (otp-limits) stay in the region that wrote them.
     */
    public static List<String> replicated(OtpConfig.Tables names) {
        return List.of(names.users(), names.callers(), names.orgs());
    }
}
