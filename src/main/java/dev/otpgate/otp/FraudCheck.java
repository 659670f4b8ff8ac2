package dev.otpgate.otp;

/**
 * What the fraud guard asks the store to check and count with one send (docs/limits-and-fraud.md "Items per transaction"): the
 * thresholds in force for this send's source address, destination country and caller. A threshold of 0
 * means the rule does not apply to this send (allow-listed, or nothing to key it by).
 *
 * @param address the client's source address (API Gateway's sourceIp), null when unknown
 * @param country the SMS destination's region (libphonenumber), null for e-mail
 * @param caller the caller as "OrgID/name"
 * @param heuristicsDeny true: the heuristic rules (address, countries, country) refuse; false: record mode,
 *        their would-be refusals are counted and logged and the code goes out anyway
 * @param orgCountryHourly the organisation's own country thresholds (checked first); countryHourly and
 *        countryDaily are the deployment-wide last resort
 * @param orgBudgetDaily the organisation's daily budget for the channel, counted with the caller's quota on
 *        the organisation's day item, spread over {@code orgShards}
 */
public record FraudCheck(Channel channel, String address, String country, String caller, boolean heuristicsDeny,
        int addressHourly, int addressDaily, int countriesPerAddress, int orgCountryHourly, int orgCountryDaily,
        int countryHourly, int countryDaily, int countryShards, int budgetDaily, int budgetShards, int orgBudgetDaily,
        int orgShards, int callerDaily) {

    /** No fraud counting at all (the store's other limits only). */
    public static final FraudCheck NONE = new FraudCheck(null, null, null, null, true, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1,
            0);

    /**
     * The shards the organisation's country counters are spread over: no more than the country's own (a small
     * threshold stays exact) nor the organisation item's.
     */
    public int orgCountryShards() {
        return Math.max(1, Math.min(countryShards, orgShards));
    }

    /** The heuristic rules' reason codes; the budgets and the caller quota are hard caps in either mode. */
    public static boolean heuristic(String reason) {
        return reason != null && reason.startsWith("fraud_");
    }

    /** Whether a reason code is one of the guard's (for the call log). */
    public static boolean guardReason(String reason) {
        return heuristic(reason) || "sms_budget".equals(reason) || "email_budget".equals(reason)
                || "org_sms_budget".equals(reason) || "org_email_budget".equals(reason) || "caller_quota".equals(reason);
    }
}
