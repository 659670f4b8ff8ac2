package dev.otpgate.otp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.otp.Routes.Route;

/**
 * ADM_GenerateOTP: find the user in the caller's organisation, choose where the code goes, count the
 * send and store the hash of a fresh code (one atomic write), send the code in the user's language.
 * The transaction is written before the send so that a code in a user's hands always has a record; a
 * failed send marks that record undelivered, so it can never be used. AWS round trips: one read, one
 * write, one send (plus one read of the organisation's settings per minute per instance).
 */
@ApplicationScoped
public class GenerateOtp {

    private static final Logger LOG = Logger.getLogger(GenerateOtp.class);

    public record Request(String orgId, String domainId, String userId, String loginUid, String userName) {
    }

    public record Sent(String transactionId, Channel channel, String maskedDestination) {
    }

    private final Policies policies;
    private final OtpCodes codes;
    private final UserDirectory directory;
    private final OtpStore store;
    private final Courier courier;
    private final Routes routes;
    private final Clock clock;
    private final RequestDeadline deadline;
    private final FraudGuard fraud;
    /** Stamps each TransactionID with the region that stores it (docs/regions.md "A code stays home"). */
    @Inject
    HomeRegion home;

    GenerateOtp(Policies policies, OtpCodes codes, UserDirectory directory, OtpStore store, Courier courier,
            Routes routes, Clock clock, RequestDeadline deadline, FraudGuard fraud) {
        this.fraud = fraud;
        this.policies = policies;
        this.codes = codes;
        this.directory = directory;
        this.store = store;
        this.courier = courier;
        this.routes = routes;
        this.clock = clock;
        this.deadline = deadline;
    }

    public Sent generate(Requester requester, Request request, CallContext call) {
        // Another organisation's users do not exist for this caller, whatever its grants say.
        if (!requester.orgId().equals(request.orgId())) {
            throw unknownUser();
        }
        // Then: a caller without the right learns nothing about who exists and sends nothing.
        if (!requester.mayActFor(request.domainId(), request.userId())) {
            throw new OtpFailure(Kind.FORBIDDEN, "The caller may not generate an OTP for this user");
        }
        // An unknown user and a wrong name get the same answer: no way to probe who exists.
        UserContact user = directory.find(request.orgId(), request.domainId(), request.userId())
                .filter(u -> u.userName() != null && u.userName().equals(request.userName()))
                .orElseThrow(GenerateOtp::unknownUser);
        if (user.locked()) { // only once the name matched: an unknown user and a locked one are told apart no sooner
            throw Refusals.failuresLocked();
        }
        Policy policy = policies.of(request.orgId());
        List<Route> ways = routes.of(user, policy);
        Route route = ways.get(0);
        call.routedBy(route.channel());
        String country = route.country();
        call.destinationCountry(country);

        // Past this point a stored code must be sent or marked undelivered: start only with the time for both.
        if (!deadline.leavesRoomForWriteAndSend(call.startNanos(), route.channel())) {
            LOG.warnf("OTP generate out of time before the write (%d ms spent): answered unavailable, nothing written",
                    (System.nanoTime() - call.startNanos()) / 1_000_000);
            throw Refusals.unavailable();
        }
        String transactionId = home.newTransactionId();
        String code = codes.newCode(policy.codeLength());
        Instant now = clock.instant();
        OtpTransaction t = new OtpTransaction(transactionId, request.orgId(), user.domainId(), user.userId(),
                request.loginUid(), route.channel(), codes.hash(transactionId, code), now, now.plus(policy.validity()),
                policy.limits().maxAttempts(), policy.codeLength(), OtpTransaction.State.PENDING).withCountry(country);
        // One atomic write: the send limits and the fraud guard's counters are counted, older codes replaced,
        // the transaction stored.
        // A call counts as an SMS (Channel.counted): the same number, country, budgets and quotas.
        FraudCheck check = fraud.check(requester, route.channel().counted(), route.country(), call.clientAddress(),
                call.sourceAddress(), policy.budgetPerDay(route.channel()));
        call.fraudChecked(check.country(), check.address(), check.caller());
        try {
            List<String> recorded = store.issue(t, codes.fingerprint(route.channel().counted(), route.destination()),
                    policy.limits(), now, check);
            if (!recorded.isEmpty()) { // record mode: the rules that would have refused, and the code goes out
                call.fraudFired(recorded, false);
            }
        } catch (OtpFailure refused) {
            if (FraudCheck.guardReason(refused.outcome())) {
                call.fraudFired(List.of(refused.outcome()), true);
            }
            throw refused;
        }

        MessageTexts.Texts texts = policy.texts(user.locale());
        for (int i = 0;; i++) {
            try {
                String messageId = courier.deliver(message(t, route, user, texts, code, policy),
                        deadline.sendTimeout(call.startNanos(), route.channel()));
                if (messageId != null) {
                    recordMessageId(t, messageId);
                }
                return new Sent(transactionId, route.channel(), Masking.destination(route.channel(), route.destination()));
            } catch (Courier.DeliveryFailedException e) {
                LOG.warnf("OTP delivery by %s to %s failed: %s", route.channel(),
                        Masking.destination(route.channel(), route.destination()), e.getMessage());
                Route next = i + 1 < ways.size() && e.refused() ? ways.get(i + 1) : null;
                if (next == null || !redirected(t, next, policy, call)) {
                    markUndelivered(t, route);
                    throw new OtpFailure(Kind.DELIVERY_FAILED, "The OTP could not be delivered; try again later");
                }
                route = next; // the provider refused outright, so nothing went out: the same code, the other way
                call.routedBy(route.channel());
                call.destinationCountry(route.country());
            }
        }
    }

    /** Moves the pending code to the next route, if its limits and the time left allow; false when not. */
    private boolean redirected(OtpTransaction t, Route next, Policy policy, CallContext call) {
        if (!deadline.leavesRoomForWriteAndSend(call.startNanos(), next.channel())) {
            return false;
        }
        try {
            store.redirect(t, next.channel(), next.country(),
                    codes.fingerprint(next.channel().counted(), next.destination()), policy.limits(), clock.instant());
            return true;
        } catch (OtpFailure refused) { // the fallback's own limits: the failed delivery is the answer
            LOG.warnf("OTP fallback to %s refused: %s", next.channel(), refused.outcome());
            return false;
        }
    }

    private void markUndelivered(OtpTransaction t, Route route) {
        try {
            store.markUndelivered(t.transactionId());
        } catch (RuntimeException markFailed) {
            // Still the delivery-failure envelope (and metric). The transaction stays PENDING until it expires:
            // usable only if the send did reach the user after all.
            LOG.errorf("OTP transaction %s (delivery by %s to %s failed) could not be marked undelivered: %s",
                    t.transactionId(), route.channel(), Masking.destination(route.channel(), route.destination()),
                    markFailed.getClass().getSimpleName());
        }
    }

    /**
     * Keeps the provider's MessageId on the transaction, for the conversion feedback of its right code: one UpdateItem,
     * only with a sender that gives feedback (End User Messaging), and in the time RequestDeadline kept for the
     * undelivered mark (which a delivered code does not need). A failure loses that feedback, not the login.
     */
    private void recordMessageId(OtpTransaction t, String messageId) {
        try {
            store.recordMessageId(t.transactionId(), messageId);
        } catch (RuntimeException e) {
            LOG.warnf("OTP transaction %s: the message id of its send could not be kept (%s); no conversion feedback",
                    t.transactionId(), e.getClass().getSimpleName());
        }
    }

    private static OtpMessage message(OtpTransaction t, Route route, UserContact user, MessageTexts.Texts texts, String code,
            Policy policy) {
        long minutes = policy.validity().toMinutes();
        if (route.channel() == Channel.VOICE) {
            VoiceTexts.Call call = VoiceTexts.call(user.locale(), policy.defaultLocale(), code, minutes);
            return new OtpMessage(Channel.VOICE, route.destination(), null, call.ssml(), null, null, null,
                    t.transactionId(), t.orgId(), t.expiresAt(), call.voice(), null);
        }
        return route.channel() == Channel.SMS
                ? new OtpMessage(Channel.SMS, route.destination(), null, MessageTexts.fill(texts.sms(), code, minutes),
                        policy.smsSenderId().orElse(null), policy.smsOriginationNumber().orElse(null), null,
                        t.transactionId(), t.orgId(), t.expiresAt(), null, policy.smsMaxPrice().orElse(null))
                : new OtpMessage(Channel.EMAIL, route.destination(), texts.emailSubject(),
                        MessageTexts.fill(texts.emailBody(), code, minutes), null, null, policy.emailSender(),
                        t.transactionId(), t.orgId(), t.expiresAt(), null, null);
    }

    private static OtpFailure unknownUser() {
        return new OtpFailure(Kind.NOT_FOUND, "No user matches DomainId, UserID and UserName");
    }
}
