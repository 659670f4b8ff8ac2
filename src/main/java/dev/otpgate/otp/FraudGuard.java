package dev.otpgate.otp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;


/**
 * The SMS pumping and mail bombing guard (docs/limits-and-fraud.md "The fraud guard"): which of its rules apply to a send and
 * with which thresholds. The counting itself is the store's, in the send's one transaction. The per-country
 * thresholds adapt to the country's verified traffic, read at most once a minute per country per instance.
 */
@ApplicationScoped
public class FraudGuard {

    /** How long a country's verified traffic is used before it is read again. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(60);
    /** The smallest share of a limit one shard carries: small limits stay on one counter, exact. */
    static final int MIN_PER_SHARD = 20;
    /** An organisation's daily sends one shard of its day item carries: about 1 a second on average, bursts 100 times that. */
    static final int ORG_SENDS_PER_SHARD = 100_000;

    private final OtpConfig.Fraud config;
    private final OtpStore store;
    private final Clock clock;
    private final AddressRanges addresses;
    private final Set<String> countries;
    private final Set<String> callers;
    private final ReadCache<String, CountryTraffic> traffic;

    FraudGuard(OtpConfig config, OtpStore store, Clock clock) {
        this.config = config.fraud();
        this.store = store;
        this.clock = clock;
        this.addresses = new AddressRanges(this.config.allow().addresses().orElse(List.of()));
        this.countries = this.config.allow().countries().orElse(List.of()).stream()
                .map(c -> c.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.callers = this.config.allow().callers().orElse(List.of()).stream().map(String::trim)
                .collect(Collectors.toUnmodifiableSet());
        this.traffic = new ReadCache<>(FRESH_FOR, 10_000, clock);
    }

    /**
     * The rules and thresholds for a send by {@code requester} from {@code address} (the client's address, for the
     * allow-list; {@code addressKey} is what the address counters count it under: an IPv6 address's /64) to a
     * destination in {@code destinationCountry} (the route's, {@link DestinationCountry}: counted per country for
     * SMS only), within the organisation's daily budget {@code orgBudget} for the channel.
     */
    public FraudCheck check(Requester requester, Channel channel, String destinationCountry, String address,
            String addressKey, int orgBudget) {
        String caller = requester.orgId() + "/" + requester.userName();
        String country = channel.phone() && !DestinationCountry.UNKNOWN.equals(destinationCountry)
                ? destinationCountry : null;
        boolean allowed = callers.contains(caller) || addresses.contains(address)
                || (country != null && countries.contains(country));
        int budget = regionShare(channel.phone() ? config.smsBudgetPerDay() : config.emailBudgetPerDay());
        int callerQuota = callers.contains(caller) ? 0 : regionShare(config.callerQuotaPerDay());
        orgBudget = regionShare(orgBudget);
        int addressHourly = 0;
        int addressDaily = 0;
        int orgCountryHourly = 0;
        int orgCountryDaily = 0;
        int countryHourly = 0;
        int countryDaily = 0;
        int countryShards = 1;
        if (!allowed && addressKey != null) {
            addressHourly = config.addressHourly();
            addressDaily = config.addressDaily();
        }
        if (!allowed && country != null) {
            CountryTraffic t = traffic.get(country, c -> store.countryTraffic(Channel.SMS, c, config.shards(), clock.instant()));
            // The organisation's own rule; the deployment's, a multiple of it, is the last resort against pumping
            // spread over many organisations (docs/limits-and-fraud.md "Per organisation and per deployment").
            orgCountryDaily = t.dailyThreshold(config.countryDailyFloor());
            orgCountryHourly = t.hourlyThreshold(config.countryHourlyFloor(), orgCountryDaily);
            countryDaily = times(orgCountryDaily, config.deploymentCountryFactor());
            countryHourly = times(orgCountryHourly, config.deploymentCountryFactor());
            countryShards = t.shards(config.countryDailyFloor(), config.shards(), MIN_PER_SHARD);
        }
        return new FraudCheck(channel, addressKey, country, caller, config.mode() == OtpConfig.FraudMode.DENY,
                addressHourly, addressDaily, config.countriesPerAddress(), orgCountryHourly, orgCountryDaily,
                countryHourly, countryDaily, countryShards, budget, shards(budget, config.shards()), orgBudget,
                orgShards(orgBudget, config.shards()), callerQuota);
    }

    /** This region's share of a daily budget or quota (docs/regions.md): at least 1, so a small share still sends. */
    private int regionShare(int daily) {
        return (int) Math.max(1, (long) daily * config.regionBudgetPercent() / 100);
    }

    /**
     * Shards of an organisation's day item: one per ORG_SENDS_PER_SHARD of its budget, at most {@code max}. Sized for
     * throughput, not precision: the item also holds the organisation's country counters, which must stay one exact
     * counter for a small threshold, so most organisations keep one shard (docs/limits-and-fraud.md "Scaling").
     */
    static int orgShards(int orgBudget, int max) {
        return (int) Math.max(1, Math.min(max, (orgBudget + (long) ORG_SENDS_PER_SHARD - 1) / ORG_SENDS_PER_SHARD));
    }

    /** An organisation's daily budget when it set none: a share of the deployment's, below it. */
    public static int defaultOrgBudget(int deploymentBudget, int percent) {
        return (int) Math.max(1, Math.min(deploymentBudget - 1L, (long) deploymentBudget * percent / 100));
    }

    private static int times(int threshold, int factor) {
        return (int) Math.min(Integer.MAX_VALUE, (long) threshold * factor);
    }

    /** Shards for a limit: as many as leave each at least MIN_PER_SHARD, at most {@code max}. */
    static int shards(int limit, int max) {
        return Math.max(1, Math.min(max, limit / MIN_PER_SHARD));
    }
}
