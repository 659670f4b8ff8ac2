package dev.otpgate.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The client address rules, without the function: headers believed only from trusted proxies, canonical text. */
class SourceAddressesTest {

    @Test
    void withNoTrustedProxyEveryHeaderIsIgnored() {
        SourceAddresses none = new SourceAddresses(List.of());
        assertEquals("203.0.113.66", none.client("203.0.113.66", List.of("198.51.100.7")));
        assertEquals("203.0.113.66", none.client("203.0.113.66", List.of("10.0.0.1, 198.51.100.7")));
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedEntryIsTheClient() {
        SourceAddresses proxied = new SourceAddresses(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));
        // the client can put anything first; its proxy appends what it saw
        assertEquals("203.0.113.66", proxied.client("10.1.2.3", List.of("198.51.100.7, 203.0.113.66")));
        assertEquals("203.0.113.66", proxied.client("10.1.2.3", List.of("198.51.100.7", "203.0.113.66, 10.9.9.9")));
        assertEquals("203.0.113.66", proxied.client("2001:db8:ffff::1", List.of("203.0.113.66")));
        // not from a trusted proxy: the header is the client's own words
        assertEquals("203.0.113.66", proxied.client("203.0.113.66", List.of("10.1.1.1")));
        // only trusted hops: the left-most one; garbage stops the walk
        assertEquals("10.0.0.5", proxied.client("10.1.2.3", List.of("10.0.0.5")));
        assertEquals("10.1.2.3", proxied.client("10.1.2.3", List.of("evil.example.com")));
    }

    @Test
    void addressesAreCanonicalAndNeverLookedUp() {
        SourceAddresses none = new SourceAddresses(List.of());
        assertEquals("2001:db8:0:0:0:0:0:1", none.client("2001:DB8::1", null));
        assertEquals("2001:db8:0:0:0:0:0:1", none.client("2001:0db8:0000::0001", null));
        assertEquals("192.0.2.1", none.client("::ffff:192.0.2.1", null), "IPv4-mapped IPv6 is the IPv4 address");
        assertEquals(SourceAddresses.UNKNOWN, none.client("localhost", null), "a name is not resolved");
        assertEquals(SourceAddresses.UNKNOWN, none.client(null, null));
        assertEquals("2001:db8:1:2::/64", SourceAddresses.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("192.0.2.1", SourceAddresses.limitKey("192.0.2.1"));
    }

    @Test
    void aBadTrustedProxyBlockStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SourceAddresses(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().contains("otp.source.trusted-proxies"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new SourceAddresses(List.of("proxy.example.com")));
    }
}
