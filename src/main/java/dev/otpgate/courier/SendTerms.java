package dev.otpgate.courier;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.otpgate.otp.OtpMessage;

/** What End User Messaging's text and voice sends share: time to live, price cap, origination, context. */
final class SendTerms {

    /** The keys of a send's Context, which End User Messaging copies into each of its events (DeliveryEvents reads them). */
    static final String TRANSACTION_ID = "TransactionID";
    static final String ORG_ID = "OrgID";

    /** End User Messaging's bounds on TimeToLive, in seconds. */
    static final int MIN_TTL = 5;
    static final int MAX_TTL = 259_200;

    private SendTerms() {
    }

    /** What is left of the code's validity, in whole seconds (rounded down), within End User Messaging's bounds. */
    static int timeToLive(OtpMessage message, Clock clock) {
        long left = Duration.between(clock.instant(), message.expiresAt()).getSeconds();
        return (int) Math.max(MIN_TTL, Math.min(MAX_TTL, left));
    }

    /** The organisation's cap if it set a lower one, else the deployment's: the deployment's stays the ceiling. */
    static String maxPrice(OtpMessage message, EndUserMessagingConfig config) {
        String deployment = config.maxPrice();
        return message.maxPrice() != null && new BigDecimal(message.maxPrice()).compareTo(new BigDecimal(deployment)) < 0
                ? message.maxPrice() : deployment;
    }

    /** The organisation's origination number or sender id, else the deployment's identity, else none (AWS chooses). */
    static String smsOrigination(OtpMessage message, EndUserMessagingConfig config) {
        if (message.smsOriginationNumber() != null) {
            return message.smsOriginationNumber();
        }
        if (message.smsSenderId() != null) {
            return message.smsSenderId();
        }
        return config.originationIdentity().orElse(null);
    }

    static Map<String, String> context(OtpMessage message) {
        return Map.of(TRANSACTION_ID, message.transactionId(), ORG_ID, message.orgId());
    }
}
