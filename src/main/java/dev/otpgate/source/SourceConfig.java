package dev.otpgate.source;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where a request comes from (prefix {@code otp.source}); checked at start by {@link SourceAddresses}. */
@ConfigMapping(prefix = "otp.source")
public interface SourceConfig {

    /**
     * The proxies (CIDR blocks, IPv4 or IPv6, comma-separated) in front of the function whose
     * X-Forwarded-For is believed: when the connection's address (API Gateway's sourceIp) is one of them,
     * the right-most X-Forwarded-For entry that is not one of them is the client. Empty (the default, and
     * this template's setup: API Gateway is the edge) means no header is ever believed.
     */
    Optional<List<String>> trustedProxies();

    /**
     * The origin secret (from SSM, like the other secrets): when set, X-Forwarded-For is believed only on a request
     * that also carries it in {@code X-Origin-Verify}, which this deployment's CloudFront distribution adds. With
     * CloudFront's shared origin-facing ranges as trusted proxies, every distribution on AWS is a trusted peer; the
     * secret tells ours from the others (issue 22, finding 11). Unset: the peer alone decides (a warning at start).
     */
    Optional<String> originSecret();
}
