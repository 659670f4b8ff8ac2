package dev.otpgate.otp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The policy of each organisation, read from its settings at most once a minute per function instance
 * (one GetItem on otp-orgs; none on most requests), so that a change made with `admin org put` is in
 * force everywhere within a minute without a redeploy.
 */
@ApplicationScoped
public class Policies {

    private static final Logger LOG = Logger.getLogger(Policies.class);

    /** How long a read of an organisation's settings is used: the bound on how late a change takes effect. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(60);
    /** Organisations one instance serves within a minute; only authenticated callers' orgs are read. */
    static final int MAX_ENTRIES = 10_000;

    private final OtpConfig config;
    private final OrgStore store;
    private final ReadCache<String, Policy> cache;

    Policies(OtpConfig config, OrgStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.cache = new ReadCache<>(FRESH_FOR, MAX_ENTRIES, clock);
    }

    public Policy of(String orgId) {
        return cache.get(orgId, this::read);
    }

    private Policy read(String orgId) {
        OrgSettings settings = store.find(orgId).orElse(OrgSettings.NONE);
        List<String> problems = settings.problems(config);
        if (!problems.isEmpty()) { // stored when the deployment's bounds were wider: the deployment's values apply
            LOG.warnf("Organisation %s: settings out of the deployment's bounds are ignored: %s", orgId, problems);
        }
        return Policy.of(orgId, config, settings);
    }
}
