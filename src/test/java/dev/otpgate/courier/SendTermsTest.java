package dev.otpgate.courier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.OtpMessage;

/** The per-send terms of End User Messaging: an organisation's price cap only lowers the deployment's; the TTL's bounds. */
class SendTermsTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void anOrganisationsPriceCapOnlyLowersTheDeployments() {
        assertEquals("0.25", SendTerms.maxPrice(message(null, NOW.plusSeconds(300)), config("0.25")), "none of its own");
        assertEquals("0.05", SendTerms.maxPrice(message("0.05", NOW.plusSeconds(300)), config("0.25")));
        assertEquals("0.25", SendTerms.maxPrice(message("0.90", NOW.plusSeconds(300)), config("0.25")),
                "the deployment's cap is the ceiling");
    }

    @Test
    void theTimeToLiveIsWhatIsLeftOfTheCodeWithinEndUserMessagingsBounds() {
        assertEquals(300, SendTerms.timeToLive(message(null, NOW.plusSeconds(300)), CLOCK));
        assertEquals(299, SendTerms.timeToLive(message(null, NOW.plusMillis(299_999)), CLOCK), "rounded down");
        assertEquals(5, SendTerms.timeToLive(message(null, NOW.plusSeconds(2)), CLOCK), "AWS's least");
        assertEquals(259_200, SendTerms.timeToLive(message(null, NOW.plus(Duration.ofDays(10))), CLOCK), "AWS's most");
    }

    @Test
    void theOrganisationsOriginationComesFirstThenItsSenderIdThenTheDeployments() {
        OtpMessage both = new OtpMessage(Channel.SMS, "+14155554219", null, "x", "ACME", "+14155550100", null, "t", "o",
                NOW, null, null);
        assertEquals("+14155550100", SendTerms.smsOrigination(both, config("0.25")));
        OtpMessage senderId = new OtpMessage(Channel.SMS, "+14155554219", null, "x", "ACME", null, null, "t", "o", NOW,
                null, null);
        assertEquals("ACME", SendTerms.smsOrigination(senderId, config("0.25")));
        assertEquals("pool-1", SendTerms.smsOrigination(message(null, NOW), config("0.25")));
    }

    private static OtpMessage message(String maxPrice, Instant expiresAt) {
        return new OtpMessage(Channel.SMS, "+14155554219", null, "Your code is 123456", null, null, null, "t-1", "1",
                expiresAt, null, maxPrice);
    }

    /**
     * The configuration as a proxy: an anonymous class implementing it would carry its validation annotations into the
     * Quarkus build of every test application (ArcProcessor refuses interceptor bindings on anonymous classes).
     */
    private static EndUserMessagingConfig config(String maxPrice) {
        return (EndUserMessagingConfig) java.lang.reflect.Proxy.newProxyInstance(SendTermsTest.class.getClassLoader(),
                new Class<?>[] { EndUserMessagingConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "maxPrice" -> maxPrice;
                    case "originationIdentity" -> Optional.of("pool-1");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
