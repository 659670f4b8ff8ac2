package dev.otpgate.courier;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

/**
 * AWS End User Messaging SMS and voice (prefix {@code otp.end-user-messaging}): used for SMS when otp.sms.sender is
 * end-user-messaging, and for every voice call. Configuration sets, origination identities and protect configurations
 * are per region: each region's stack names its own (docs/delivery.md). The client's region, credentials and timeouts
 * are the SNS client's (EndUserMessagingClient).
 */
@ConfigMapping(prefix = "otp.end-user-messaging")
public interface EndUserMessagingConfig {

    /** Where the client sends its requests instead of AWS (tests: the local recorder). */
    Optional<URI> endpointOverride();

    /** The configuration set named on every send: its event destination brings the delivery events back. */
    Optional<String> configurationSet();

    /**
     * The origination identity (phone number, sender ID or pool: id or ARN) of an SMS whose organisation has no
     * origination number or sender id of its own; unset: End User Messaging picks one of the account's.
     */
    Optional<String> originationIdentity();

    /** The origination identity of voice calls (a voice-capable phone number or pool): SendVoiceMessage requires one. */
    Optional<String> voiceOriginationIdentity();

    /**
     * The most an SMS part may cost, in USD (MaxPrice): a route dearer than this is refused, nothing is sent. A hard cap
     * per send against pumping through expensive routes; an organisation may set a lower one (org put --sms-max-price).
     */
    @WithDefault("0.25")
    @Pattern(regexp = "\\d{1,2}\\.\\d{1,5}")
    String maxPrice();

    /** The most a voice call may cost per minute, in USD (MaxPricePerMinute). */
    @WithDefault("0.50")
    @Pattern(regexp = "\\d{1,2}\\.\\d{1,5}")
    String maxPricePerMinute();

    /**
     * How long a right code's validation waits for its PutMessageFeedback, made once the write has used the code: one
     * round trip, which usually answers well within it; past this the answer goes out and the report finishes if it can.
     */
    @WithDefault("PT0.25S")
    Duration feedbackWait();
}
