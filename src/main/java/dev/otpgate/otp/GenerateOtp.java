package dev.otpgate.otp;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * ADM_GenerateOTP: find the user, check where the code may go, count the send and store the hash of
 * a fresh code (one atomic write), send the code. The transaction is written before the send so that
 * a code in a user's hands always has a record; a failed send marks that record undelivered, so it
 * can never be used. AWS round trips: one read, one write, one send.
 */
@ApplicationScoped
public class GenerateOtp {

    private static final Logger LOG = Logger.getLogger(GenerateOtp.class);

    public record Request(String domainId, String userId, String loginUid, String userName) {
    }

    public record Sent(String transactionId, Channel channel, String maskedDestination) {
    }

    private final OtpConfig config;
    private final OtpCodes codes;
    private final UserDirectory directory;
    private final OtpStore store;
    private final Courier courier;
    private final SmsCountryGuard smsGuard;
    private final Clock clock;
    private final RequestDeadline deadline;

    GenerateOtp(OtpConfig config, OtpCodes codes, UserDirectory directory, OtpStore store, Courier courier,
            SmsCountryGuard smsGuard, Clock clock, RequestDeadline deadline) {
        this.config = config;
        this.deadline = deadline;
        this.smsGuard = smsGuard;
        this.codes = codes;
        this.directory = directory;
        this.store = store;
        this.courier = courier;
        this.clock = clock;
    }

    /** @param startNanos when the request began (System.nanoTime), for the {@link RequestDeadline} */
    public Sent generate(Requester requester, Request request, long startNanos) {
        // First of all: a caller without the right learns nothing about who exists and sends nothing.
        if (!requester.mayActFor(request.domainId(), request.userId())) {
            throw new OtpFailure(Kind.FORBIDDEN, "The caller may not generate an OTP for this user");
        }
        // An unknown user and a wrong name get the same answer: no way to probe who exists.
        UserContact user = directory.find(request.domainId(), request.userId())
                .filter(u -> u.userName() != null && u.userName().equals(request.userName()))
                .orElseThrow(() -> new OtpFailure(Kind.NOT_FOUND, "No user matches DomainId, UserID and UserName"));

        Channel channel = config.channel();
        String destination = user.destination(channel);
        if (destination == null) {
            throw new OtpFailure(Kind.UNPROCESSABLE, channel == Channel.SMS
                    ? "The user has no mobile number to send the OTP to"
                    : "The user has no e-mail address to send the OTP to");
        }
        if (channel == Channel.SMS) {
            destination = smsGuard.check(destination);
        }

        // Past this point a stored code must be sent or marked undelivered: start only with the time for both.
        if (!deadline.leavesRoomForWriteAndSend(startNanos, channel)) {
            LOG.warnf("OTP generate out of time before the write (%d ms spent): answered unavailable, nothing written",
                    (System.nanoTime() - startNanos) / 1_000_000);
            throw Refusals.unavailable();
        }
        String transactionId = UUID.randomUUID().toString();
        String code = codes.newCode();
        Instant now = clock.instant();
        // One atomic write: the send limits are counted, older codes replaced, the transaction stored.
        store.issue(new OtpTransaction(transactionId, user.domainId(), user.userId(), request.loginUid(), channel,
                codes.hash(transactionId, code), now, now.plus(config.validity()), config.limits().maxAttempts(),
                OtpTransaction.State.PENDING), codes.fingerprint(channel, destination), now);

        String masked = Masking.destination(channel, destination);
        try {
            courier.deliver(new OtpMessage(channel, destination, code, config.validity().toMinutes()));
        } catch (Courier.DeliveryFailedException e) {
            LOG.warnf("OTP delivery by %s to %s failed: %s", channel, masked, e.getMessage());
            try {
                store.markUndelivered(transactionId);
            } catch (RuntimeException markFailed) {
                // Still the delivery-failure envelope (and metric). The transaction stays PENDING until it expires:
                // usable only if the send did reach the user after all.
                LOG.errorf("OTP transaction %s (delivery by %s to %s failed) could not be marked undelivered: %s",
                        transactionId, channel, masked, markFailed.getClass().getSimpleName());
            }
            throw new OtpFailure(Kind.DELIVERY_FAILED, "The OTP could not be delivered; try again later");
        }
        return new Sent(transactionId, channel, masked);
    }
}
