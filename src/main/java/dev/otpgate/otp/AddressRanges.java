package dev.otpgate.otp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A list of address ranges (CIDR or single addresses, IPv4 or IPv6); never resolves a name. */
final class AddressRanges {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Range(byte[] network, int bits) {
    }

    private final List<Range> ranges = new ArrayList<>();

    AddressRanges(List<String> cidrs) {
        for (String cidr : cidrs) {
            String c = cidr.trim();
            if (c.isEmpty()) {
                continue;
            }
            int slash = c.indexOf('/');
            byte[] net = parse(slash < 0 ? c : c.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("otp.fraud.allow.addresses: not an address range: " + c);
            }
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(c.substring(slash + 1));
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException("otp.fraud.allow.addresses: bad prefix length: " + c);
            }
            ranges.add(new Range(net, bits));
        }
    }

    boolean contains(String address) {
        byte[] a = address == null ? null : parse(address);
        if (a == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.network().length == a.length && matches(r, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Range r, byte[] a) {
        int full = r.bits() / 8;
        for (int i = 0; i < full; i++) {
            if (r.network()[i] != a[i]) {
                return false;
            }
        }
        int rest = r.bits() % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (r.network()[full] & mask) == (a[full] & mask);
    }

    /** The address's bytes, or null when it is not an IP literal (no DNS lookup ever). */
    static byte[] parse(String literal) {
        if (!LITERAL.matcher(literal).matches() || (!literal.contains(":") && !literal.contains("."))) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
