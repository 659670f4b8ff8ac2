package dev.otpgate.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/**
 * IP addresses as text: parsed only as literals (never a DNS lookup), written in one canonical form
 * (IPv4 dotted, IPv6 as Java prints it, an IPv4-mapped IPv6 address as its IPv4 address), matched
 * against the trusted proxies' CIDR blocks. The trusted list is checked at start: a bad block stops the
 * function with a message naming the key.
 */
@ApplicationScoped
public class SourceAddresses {

    /** What a request whose address cannot be read is counted as: all such requests share one record. */
    public static final String UNKNOWN = "unknown";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The header this deployment's distribution adds with the origin secret (docs/deploy.md). */
    public static final String ORIGIN_HEADER = "X-Origin-Verify";

    private final List<Cidr> trusted;
    private final byte[] originSecret;

    @Inject
    SourceAddresses(SourceConfig config) {
        this(config.trustedProxies().orElse(List.of()), config.originSecret());
    }

    public SourceAddresses(List<String> trustedProxies) {
        this(trustedProxies, Optional.empty());
    }

    public SourceAddresses(List<String> trustedProxies, Optional<String> originSecret) {
        this.originSecret = originSecret.filter(v -> !v.isBlank())
                .map(v -> v.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
        List<Cidr> blocks = new ArrayList<>();
        for (String block : trustedProxies) {
            if (!block.isBlank()) {
                blocks.add(Cidr.parse(block.trim()).orElseThrow(() -> new IllegalStateException(
                        "otp.source.trusted-proxies must be a comma-separated list of CIDR blocks (10.0.0.0/8, 2001:db8::/32)")));
            }
        }
        this.trusted = List.copyOf(blocks);
    }

    /** Reads the trusted proxies at start: a bad block stops the function there, not at the first request. */
    void check(@Observes StartupEvent event) {
        // constructing this bean parsed the list
        if (!trusted.isEmpty() && originSecret == null) {
            org.jboss.logging.Logger.getLogger(SourceAddresses.class).warn("otp.source.trusted-proxies is set without"
                    + " otp.source.origin-secret: X-Forwarded-For is believed from any proxy in those ranges (with"
                    + " CloudFront's, any distribution on AWS); set OriginSecretParameter (docs/deploy.md)");
        }
    }

    /**
     * Whether a request's X-Forwarded-For may be read at all: with an origin secret, only when the request carries
     * it (compared in constant time); without one, always (the trusted peer alone decides).
     */
    public boolean fromOurOrigin(String originHeader) {
        if (originSecret == null) {
            return true;
        }
        return originHeader != null && java.security.MessageDigest.isEqual(originSecret,
                originHeader.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The client: the connection's address, or, when that is a trusted proxy, the right-most entry of
     * X-Forwarded-For that is not one (a client can prepend anything, but not append after its proxy).
     */
    public String client(String connection, List<String> forwardedFor) {
        Optional<InetAddress> peer = parse(connection);
        if (peer.isEmpty()) {
            return UNKNOWN;
        }
        InetAddress client = peer.get();
        if (!trusted.isEmpty() && isTrusted(client) && forwardedFor != null) {
            List<String> hops = new ArrayList<>();
            forwardedFor.forEach(h -> hops.addAll(List.of(h.split(","))));
            for (int i = hops.size() - 1; i >= 0; i--) {
                Optional<InetAddress> hop = parse(hops.get(i).trim());
                if (hop.isEmpty()) {
                    break; // garbage: stop at the last address we could read
                }
                client = hop.get();
                if (!isTrusted(client)) {
                    break;
                }
            }
        }
        return client.getHostAddress();
    }

    /**
     * The key the attempt limits count a source under: an IPv4 address, or an IPv6 address's /64 (one
     * subscriber's network: anyone with one /64 has 2^64 addresses to rotate through).
     */
    public static String limitKey(String address) {
        Optional<InetAddress> a = parse(address);
        if (a.isEmpty()) {
            return UNKNOWN;
        }
        byte[] bytes = a.get().getAddress();
        if (bytes.length == 4) {
            return a.get().getHostAddress();
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /**
     * The address range a source belongs to, for limits that one holder of many addresses must share: an
     * IPv4 address's /24, an IPv6 address's /48 (a site's usual assignment: 65,536 /64s). Takes an address
     * or a {@link #limitKey}; {@value #UNKNOWN} for anything else.
     */
    public static String rangeKey(String addressOrLimitKey) {
        String text = addressOrLimitKey == null ? null : addressOrLimitKey.replace("/64", "");
        Optional<InetAddress> a = parse(text);
        if (a.isEmpty()) {
            return UNKNOWN;
        }
        byte[] b = a.get().getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 6; i += 2) {
            prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/48").toString();
    }

    /** A literal IPv4 or IPv6 address (a scope id dropped), never resolved through DNS; else empty. */
    static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int scope = t.indexOf('%');
        if (scope > 0) {
            t = t.substring(0, scope);
        }
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = t.indexOf(':') >= 0 && IPV6.matcher(t).matches();
        if (!v4 && !v6) {
            return Optional.empty(); // not a literal: InetAddress would look the name up
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private boolean isTrusted(InetAddress a) {
        return trusted.stream().anyMatch(c -> c.contains(a));
    }

    /** A CIDR block. */
    record Cidr(byte[] network, int bits) {

        static Optional<Cidr> parse(String text) {
            int slash = text.indexOf('/');
            Optional<InetAddress> a = SourceAddresses.parse(slash < 0 ? text : text.substring(0, slash));
            if (a.isEmpty()) {
                return Optional.empty();
            }
            int max = a.get().getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return bits < 0 || bits > max ? Optional.empty() : Optional.of(new Cidr(a.get().getAddress(), bits));
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
