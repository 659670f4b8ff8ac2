package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.number;
import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.CountryTraffic;
import dev.otpgate.otp.FraudCheck;
import dev.otpgate.otp.GuessBackoff;
import dev.otpgate.otp.SendMark;
import dev.otpgate.otp.OrgKeys;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpStore;
import dev.otpgate.otp.OtpTransaction;
import dev.otpgate.otp.OtpTransaction.State;
import dev.otpgate.otp.Policy;
import dev.otpgate.otp.Refusals;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * OTP transactions (otp-transactions, keyed by TransactionID, TTL on ExpiresAt) and their limits
 * (otp-limits, see {@link LimitItems}; the fraud guard's, {@link FraudCounters}). Every state change is one TransactWriteItems whose
 * conditions carry the limits, so concurrent requests are serialised by DynamoDB itself.
 */
@ApplicationScoped
public class DynamoOtpStore implements OtpStore {

    private static final Logger LOG = Logger.getLogger(DynamoOtpStore.class);
    /** Attempts of one transaction under TransactionConflict; RequestDeadline budgets for them. */
    private static final int CONFLICT_RETRIES = 3;
    private static final long HOUR = 3600;
    private static final long DAY = 86400;
    /** How long a user's consecutive failures are kept after the last one (docs/limits-and-fraud.md "Users under attack"). */
    private static final long CONSECUTIVE_KEPT = 30 * DAY;

    private final DynamoDbClient dynamo;
    private final String transactions;
    private final LimitItems limits;
    private final FraudCounters counters;
    private final OrgKeys keys;
    /** The length of codes written before each transaction stored its own: the deployment's. */
    private final int legacyCodeLength;
    /** The user-wide lock's copy in the directory, which follows the user to the other regions (docs/regions.md). */
    private final UserLockMirror lockMirror;

    DynamoOtpStore(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.transactions = config.tables().transactions();
        this.limits = new LimitItems(config.tables().limits());
        this.counters = new FraudCounters(dynamo, config.tables().limits());
        this.keys = new OrgKeys(config.tenancy().legacyOrg());
        this.legacyCodeLength = config.codeLength();
        this.lockMirror = new UserLockMirror(dynamo, config.tables().users());
    }

    @Override
    public List<String> issue(OtpTransaction t, String destinationKey, Policy.Limits policy, Instant at, FraudCheck fraud) {
        long now = at.getEpochSecond();
        long cooldown = policy.sendCooldown().toSeconds();
        long window = policy.sendWindow().toSeconds();
        long windowIndex = now / window;
        long windowEnd = (windowIndex + 1) * window;
        long hour = now / HOUR;
        String d = domain(t);
        String u = t.userId();
        String dest = keys.scoped(t.orgId(), destinationKey);
        // The user's item lives as long as its current code, its cooldown or its window, whichever is longest.
        long userItemExpiry = Math.max(Math.max(t.expiresAt().getEpochSecond(), now + cooldown), windowEnd);
        SendMark mark = FraudCounters.mark(fraud, now);
        OtpTransaction stored = mark == null ? t : new OtpTransaction(t.transactionId(), t.orgId(), t.domainId(),
                t.userId(), t.loginUid(), t.channel(), t.codeHash(), t.createdAt(), t.expiresAt(), t.attemptsLeft(),
                t.codeLength(), t.state(), mark, t.country(), t.messageId());
        List<Guarded> actions = new ArrayList<>(List.of(
                // A user whose guess budget is spent gets no new codes: they could not use them. First,
                // so that this answer wins over a send limit (the first failed condition is the answer).
                // Per caller (issue 22, finding 1): this caller's own wait and hour, not another caller's guessing.
                callerMayGuess(d, u, fraud.caller() == null ? "" : fraud.caller(), policy.failedGuessesPerHour(), hour,
                        now),
                // cooldown and window counter in one item each (user, destination)
                limits.userSendCounter(LimitItems.user(d, u), now, cooldown, windowIndex, windowEnd,
                        policy.sendsPerWindow(), userItemExpiry, Map.of(Attr.CURRENT_TRANSACTION, s(t.transactionId()))),
                limits.sendCounter(LimitItems.destination(dest), now, cooldown, windowIndex, windowEnd,
                        policy.sendsPerWindow(), windowEnd, Map.of()),
                new Guarded(TransactWriteItem.builder().put(p -> p.tableName(transactions).item(item(stored))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", Attr.TRANSACTION_ID))).build(),
                        old -> { throw new IllegalStateException("TransactionID collision"); })));
        if (mark == null) {
            write(actions);
            return List.of();
        }
        FraudCounters.Counted counted = counters.send(fraud, mark, t.orgId(), now);
        List<Guarded> all = new ArrayList<>(actions);
        all.addAll(counted.guarded());
        if (fraud.heuristicsDeny() || !counted.heuristic()) {
            try {
                write(all);
            } catch (FraudCounters.SharedCountryRefusal shared) {
                if (counted.firstToCountry() == null) {
                    throw shared;
                }
                // Only the deployment-wide country rule refused: an organisation's first unverified SMS to the
                // country today passes it (one more write, only when that rule fires); its own rules still hold.
                List<Guarded> first = new ArrayList<>(actions);
                first.addAll(counted.firstToCountry());
                try {
                    write(first);
                } catch (dev.otpgate.otp.OtpFailure refused) {
                    throw FraudCheck.heuristic(refused.outcome()) ? shared : refused;
                }
            }
            return List.of();
        }
        // Record mode: the same write, but a failure of the heuristic rules alone refuses nothing: the write is
        // made again without their conditions (one more round trip, only when a rule fires), and the rules
        // that would have refused are the answer, for the call log.
        List<String> fired = write(all, true);
        if (fired.isEmpty()) {
            return List.of();
        }
        List<Guarded> unconditional = new ArrayList<>(actions);
        unconditional.addAll(counted.unconditional());
        write(unconditional);
        return fired;
    }

    @Override
    public CountryTraffic countryTraffic(Channel channel, String country, int shards, Instant at) {
        return counters.countryTraffic(country, shards, at.getEpochSecond());
    }

    @Override
    public void redirect(OtpTransaction t, Channel channel, String country, String destinationKey, Policy.Limits policy,
            Instant at) {
        long now = at.getEpochSecond();
        long cooldown = policy.sendCooldown().toSeconds();
        long window = policy.sendWindow().toSeconds();
        long windowIndex = now / window;
        String dest = keys.scoped(t.orgId(), destinationKey);
        write(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        .updateExpression("SET #c = :c, #k = :k")
                        .conditionExpression("#st = :pending")
                        .expressionAttributeNames(Map.of("#c", Attr.CHANNEL, "#k", Attr.COUNTRY, "#st", Attr.STATE))
                        .expressionAttributeValues(Map.of(":c", s(channel.name()), ":k", s(country), ":pending",
                                s(State.PENDING.name()))))
                        .build(), old -> Refusals.unknownTransaction()),
                limits.cooldown(LimitItems.destination(dest), now, cooldown, now + cooldown, Map.of()),
                limits.count(LimitItems.destinationSends(dest, windowIndex), policy.sendsPerWindow(),
                        (windowIndex + 1) * window, now)));
    }

    @Override
    public void markUndelivered(String transactionId) {
        // Also drops the hash: a code that never arrived has nothing left to compare against.
        dynamo.updateItem(r -> r.tableName(transactions)
                .key(Map.of(Attr.TRANSACTION_ID, s(transactionId)))
                .updateExpression("SET #st = :u REMOVE #h")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#st", Attr.STATE, "#h", Attr.CODE_HASH, "#id", Attr.TRANSACTION_ID))
                .expressionAttributeValues(Map.of(":u", s(State.UNDELIVERED.name()))));
    }

    @Override
    public void recordMessageId(String transactionId, String messageId) {
        dynamo.updateItem(r -> r.tableName(transactions)
                .key(Map.of(Attr.TRANSACTION_ID, s(transactionId)))
                .updateExpression("SET #m = :m")
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#m", Attr.MESSAGE_ID, "#id", Attr.TRANSACTION_ID))
                .expressionAttributeValues(Map.of(":m", s(messageId))));
    }

    @Override
    public Optional<OtpTransaction> recordOutcome(dev.otpgate.otp.DeliveryEvent event) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(transactions)
                    .key(Map.of(Attr.TRANSACTION_ID, s(event.transactionId())))
                    .updateExpression("SET #o = :o, #oa = :oa")
                    // ownership and order in one conditional write: no read, nothing created
                    .conditionExpression("attribute_exists(#id) AND #org = :org AND #m = :m"
                            + " AND (attribute_not_exists(#oa) OR #oa <= :oa)")
                    .expressionAttributeNames(Map.of("#o", Attr.LAST_OUTCOME, "#oa", Attr.LAST_OUTCOME_AT,
                            "#id", Attr.TRANSACTION_ID, "#org", Attr.ORG_ID, "#m", Attr.MESSAGE_ID))
                    .expressionAttributeValues(Map.of(":o", s(event.eventType()), ":oa", n(event.at().toEpochMilli()),
                            ":org", s(event.orgId()), ":m", s(event.messageId())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
            return Optional.of(transaction(item));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notOurs) {
            return Optional.empty();
        }
    }

    @Override
    public void recordLastSend(OtpTransaction t, dev.otpgate.otp.DeliveryEvent event) {
        long sentAt = t.createdAt().getEpochSecond();
        try {
            // otp-limits, regional: never the user's item of otp-users, a global table that operators write (a write
            // here would win over an operator's erasure or new number made in another region within the lag)
            dynamo.updateItem(r -> r.tableName(limits.table())
                    .key(Map.of(Attr.LIMIT_KEY, s(LimitItems.lastSend(domain(t), t.userId()))))
                    .updateExpression("SET #ls = :ls, #lsa = :lsa, #lo = :lo, #loa = :loa, #x = :x")
                    // a later send wins, and of one send the later event (two events of it may race to here)
                    .conditionExpression("attribute_not_exists(#lsa) OR #lsa < :lsa OR (#lsa = :lsa AND #loa <= :loa)")
                    .expressionAttributeNames(Map.of("#ls", Attr.LAST_SEND, "#lsa", Attr.LAST_SEND_AT,
                            "#lo", Attr.LAST_SEND_OUTCOME, "#loa", Attr.LAST_SEND_OUTCOME_AT, "#x", Attr.EXPIRES_AT))
                    // kept as long as the user's other limit items (a day): `user remove` erases it, or it expires
                    .expressionAttributeValues(Map.of(":ls", s(t.transactionId()), ":lsa", n(sentAt),
                            ":lo", s(event.eventType()), ":loa", n(event.at().toEpochMilli()), ":x", n(sentAt + DAY))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException older) {
            // a later send's outcome, or a later event of this one, is already there
        }
    }

    @Override
    public Optional<OtpTransaction> find(String transactionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(transactions)
                .key(Map.of(Attr.TRANSACTION_ID, s(transactionId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(transaction(item));
    }

    @Override
    public void consume(OtpTransaction t, GuessLimits g, Instant at) {
        long now = at.getEpochSecond();
        long hour = now / HOUR;
        List<Guarded> actions = new ArrayList<>(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        // Single use: the hash goes with the use, nothing is left to compare against; so does
                        // the send's mark (address, country), which only this write needed.
                        .updateExpression("SET #st = :used REMOVE #h, #fa, #fc")
                        .conditionExpression("#st = :pending AND #a > :zero AND #x > :now")
                        .expressionAttributeNames(Map.of("#st", Attr.STATE, "#h", Attr.CODE_HASH,
                                "#a", Attr.ATTEMPTS_LEFT, "#x", Attr.EXPIRES_AT, "#fa", Attr.SENT_FROM,
                                "#fc", Attr.SENT_TO_COUNTRY))
                        .expressionAttributeValues(Map.of(":used", s(State.USED.name()), ":pending",
                                s(State.PENDING.name()), ":zero", n(0), ":now", n(now)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        old -> whyNotPending(old, now))));
        // The same order as recordWrongGuess: the first failed condition is the answer, so a right and a wrong
        // code must meet the checks in one order, or the answer tells them apart.
        actions.addAll(guessLimits(t, g, hour, now, false, null));
        // The send is verified: take it back from the unverified counters, count it as the country's verified traffic.
        actions.addAll(counters.verified(t.mark(), t.orgId(), now));
        write(actions);
    }

    @Override
    public WrongGuess recordWrongGuess(OtpTransaction t, GuessLimits g, Instant at) {
        long now = at.getEpochSecond();
        long hour = now / HOUR;
        List<Guarded> actions = new ArrayList<>(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        .updateExpression("SET #a = #a - :one")
                        .conditionExpression("#st = :pending AND #a > :zero")
                        .expressionAttributeNames(Map.of("#st", Attr.STATE, "#a", Attr.ATTEMPTS_LEFT))
                        .expressionAttributeValues(Map.of(":pending", s(State.PENDING.name()), ":zero", n(0),
                                ":one", n(1)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        old -> whyNotPending(old, now))));
        // Keep in the order of consume(): transaction, the consecutive item (the user's count, the caller's count,
        // hold and hour), current code (and the user's lock), caller's hour. A count near a hold needs its value to
        // set it: the first write learns both counts, a second one sets the hold.
        Streak streak = Math.min(GuessBackoff.FREE, g.consecutive()) <= 1 ? new Streak(0, 0) : null;
        for (int attempt = 1;; attempt++) {
            List<Guarded> all = new ArrayList<>(actions);
            all.addAll(guessLimits(t, g, hour, now, true, streak));
            try {
                write(all);
                String hold = streak == null ? null : streak.holdStarted(g);
                if ("user_locked".equals(hold)) { // this guess set the user-wide lock: copied for every region
                    lockMirror.lock(domain(t), t.userId(), now + CONSECUTIVE_KEPT);
                }
                return new WrongGuess(t.attemptsLeft() - 1, hold);
            } catch (Streak known) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw Refusals.busy();
                }
                streak = known;
            }
        }
    }

    /**
     * A wrong guess met a consecutive count that may set a hold: the user's count and the caller's own, for a write
     * that knows them.
     */
    private static final class Streak extends dev.otpgate.otp.OtpFailure {
        final long user;
        final long caller;

        Streak(long user, long caller) {
            super(dev.otpgate.otp.OtpFailure.Kind.TOO_MANY_REQUESTS, "busy", "consecutive count", 1);
            this.user = user;
            this.caller = caller;
        }

        /** The hold the guess after these counts starts: the user-wide cap first, then the caller's own. */
        String holdStarted(GuessLimits g) {
            if (user + 1 >= g.consecutive()) {
                return "user_locked";
            }
            if (caller + 1 >= g.consecutive()) {
                return "caller_locked";
            }
            return GuessBackoff.waitAfter(caller + 1) > 0 ? "caller_wait" : null;
        }
    }

    /**
     * The guess limits of a validation, in the one order both writes use: the user's consecutive item (the caller's
     * hourly budget for this user, its own hold and count; the user's count, below the cap), the user's current code
     * (and the user-wide lock at the cap), the caller's hourly budget. One caller's guessing holds that caller, not the
     * user's other callers (issue 22, finding 1); the cap on the whole organisation's consecutive failures stays
     * user-wide. {@code wrong}: count the failure; else check the limits and reset the user's count and this
     * caller's (a success). {@code streak}: the counts a wrong guess found (a {@link Streak}), which decide the hold
     * it sets; null when not known yet, and then the write passes only below the counts that would need a hold.
     */
    private List<Guarded> guessLimits(OtpTransaction t, GuessLimits g, long hour, long now, boolean wrong, Streak streak) {
        String d = domain(t);
        String caller = g.caller();
        long hourEnd = (hour + 1) * HOUR;
        String callerCount = LimitItems.callerCount(caller);
        Expr consecutive = wrong
                ? new Expr().add(Attr.COUNT, 1).add(callerCount, 1).add(LimitItems.callerHour(caller, hour), 1)
                        .remove(LimitItems.callerHour(caller, hour - 2)).set(Attr.EXPIRES_AT, n(now + CONSECUTIVE_KEPT))
                // a success: the user's count and this caller's go; other callers' state stays, so the item keeps its
                // expiry (one created here expires at once)
                : new Expr().remove(Attr.COUNT).remove(callerCount).remove(LimitItems.callerHeldUntil(caller))
                        .remove(LimitItems.callerHeldBy(caller)).setIfAbsent(Attr.EXPIRES_AT, n(now));
        callerFree(consecutive, caller, g.perHour(), hour, now);
        Guarded user = limits.current(d, t.userId(), t.transactionId(), now);
        if (!wrong) {
            consecutive.below(Attr.COUNT, g.consecutive());
        } else if (streak == null) {
            consecutive.below(Attr.COUNT, g.consecutive() - 1)
                    .below(callerCount, Math.min(GuessBackoff.FREE, g.consecutive()) - 1);
        } else {
            exactly(consecutive, Attr.COUNT, streak.user);
            exactly(consecutive, callerCount, streak.caller);
            if (streak.user + 1 >= g.consecutive()) {
                user = limits.hold(d, t.userId(), t.transactionId(), now, "failures_locked", now + CONSECUTIVE_KEPT);
            }
            long failures = streak.caller + 1;
            if (failures >= g.consecutive()) {
                consecutive.set(LimitItems.callerHeldUntil(caller), n(now + CONSECUTIVE_KEPT))
                        .set(LimitItems.callerHeldBy(caller), s("failures_locked"));
            } else if (GuessBackoff.waitAfter(failures) > 0) {
                consecutive.set(LimitItems.callerHeldUntil(caller), n(now + GuessBackoff.waitAfter(failures)))
                        .set(LimitItems.callerHeldBy(caller), s("failures_wait"));
            }
        }
        String callerKey = LimitItems.callerFailures(caller, hour);
        return List.of(
                // First, as the user's hour was (an answer that does not tell a right code from a wrong one): the
                // caller's hour, its hold, the user's cap (a held guess is answered by this first write, not by a
                // Streak and a second write that the hold refuses too).
                new Guarded(consecutive.action(limits.table(), LimitItems.consecutiveFailures(d, t.userId()), true),
                        old -> guessRefusal(old, caller, g, hour, now, wrong)),
                user,
                wrong ? new Guarded(limits.count(callerKey, g.callerPerHour(), hourEnd, now).action(),
                        old -> Refusals.callerGuessBudgetSpent(Math.max(1, hourEnd - now)))
                        : new Guarded(limits.guessBudgetLeft(callerKey, g.callerPerHour(), hourEnd, now).action(),
                                old -> Refusals.callerGuessBudgetSpent(Math.max(1, hourEnd - now))));
    }

    /** A generate's check of the caller's own state for this user: no hold of its own, its hour's budget left. */
    private Guarded callerMayGuess(String d, String userId, String caller, int perHour, long hour, long now) {
        Expr free = callerFree(new Expr(), caller, perHour, hour, now);
        return new Guarded(free.check(limits.table(), LimitItems.consecutiveFailures(d, userId)),
                old -> guessRefusal(old, caller, new GuessLimits(perHour, Integer.MAX_VALUE, caller, 0), hour, now, false));
    }

    private static Expr callerFree(Expr e, String caller, int perHour, long hour, long now) {
        String until = e.name(LimitItems.callerHeldUntil(caller));
        e.condition("(attribute_not_exists(" + until + ") OR " + until + " <= " + e.value(n(now)) + ")");
        return e.below(LimitItems.callerHour(caller, hour), perHour);
    }

    private static void exactly(Expr e, String attribute, long count) {
        String c = e.name(attribute);
        String v = e.value(n(count));
        e.condition(count == 0 ? "(attribute_not_exists(" + c + ") OR " + c + " = " + v + ")" : c + " = " + v);
    }

    /** Why the consecutive item refused: the user's cap, the caller's hour, its hold, or (a wrong guess) its counts. */
    private static dev.otpgate.otp.OtpFailure guessRefusal(Map<String, AttributeValue> old, String caller,
            GuessLimits g, long hour, long now, boolean wrong) {
        if (Attr.number(old, Attr.COUNT) >= g.consecutive()) {
            return Refusals.failuresLocked();
        }
        if (Attr.number(old, LimitItems.callerHour(caller, hour)) >= g.perHour()) {
            return Refusals.guessBudgetSpent(Math.max(1, (hour + 1) * HOUR - now));
        }
        long until = Attr.number(old, LimitItems.callerHeldUntil(caller));
        if (until > now) {
            return Refusals.held(Attr.string(old, LimitItems.callerHeldBy(caller)), until - now);
        }
        return wrong ? new Streak(Attr.number(old, Attr.COUNT), Attr.number(old, LimitItems.callerCount(caller)))
                : Refusals.failuresLocked();
    }

    /** The transaction's domain as its organisation's limit keys spell it. */
    private String domain(OtpTransaction t) {
        return keys.scoped(t.orgId(), t.domainId());
    }

    /** Why a transaction that looked usable a moment ago no longer is: a concurrent request changed it. */
    private static dev.otpgate.otp.OtpFailure whyNotPending(Map<String, AttributeValue> old, long now) {
        if (old == null || old.isEmpty()) {
            return Refusals.unknownTransaction();
        }
        if (State.USED.name().equals(string(old, Attr.STATE))) {
            return Refusals.alreadyUsed();
        }
        if (State.UNDELIVERED.name().equals(string(old, Attr.STATE))) {
            return Refusals.undelivered();
        }
        if (number(old, Attr.EXPIRES_AT) <= now) {
            return Refusals.expired();
        }
        return Refusals.locked();
    }

    /**
     * Runs the actions as one transaction. A failed condition is answered with that action's
     * refusal; a conflict with a concurrent transaction on the same items is retried a few times
     * (each retry is one more round trip, only under contention).
     */
    private void write(List<Guarded> actions) {
        write(actions, false);
    }

    /**
     * {@link #write(List)}, except that with {@code record}, when only the fraud guard's heuristic rules failed
     * their conditions, nothing is thrown: the answer is their refusals' reasons (nothing was written). Empty: written.
     */
    private List<String> write(List<Guarded> actions, boolean record) {
        List<TransactWriteItem> items = new ArrayList<>(actions.size());
        actions.forEach(a -> items.add(a.action()));
        for (int attempt = 1;; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return List.of();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                List<String> recorded = new ArrayList<>();
                for (int i = 0; i < reasons.size() && i < actions.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        Map<String, AttributeValue> old = reasons.get(i).item();
                        dev.otpgate.otp.OtpFailure refusal = actions.get(i).refusal().apply(old == null ? Map.of() : old);
                        if (!record || !FraudCheck.heuristic(refusal.outcome())) {
                            throw refusal;
                        }
                        recorded.add(refusal.outcome());
                    }
                }
                if (!recorded.isEmpty()) {
                    return recorded;
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict) {
                    // Neither a condition nor a conflict: capacity (ThrottlingError, ProvisionedThroughputExceeded)
                    // or DynamoDB itself. Nothing was written; the caller may try again.
                    LOG.warnf("TransactWriteItems cancelled, answered unavailable; reasons %s",
                            reasons.stream().map(CancellationReason::code).toList());
                    throw Refusals.unavailable();
                }
                if (attempt >= CONFLICT_RETRIES) {
                    throw Refusals.busy();
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 40) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refusals.busy();
        }
    }

    private static Map<String, AttributeValue> item(OtpTransaction t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Attr.TRANSACTION_ID, s(t.transactionId()));
        item.put(Attr.ORG_ID, s(t.orgId()));
        item.put(Attr.DOMAIN_ID, s(t.domainId()));
        item.put(Attr.USER_ID, s(t.userId()));
        item.put(Attr.LOGIN_UID, s(t.loginUid()));
        item.put(Attr.CHANNEL, s(t.channel().name()));
        item.put(Attr.CODE_HASH, s(t.codeHash()));
        item.put(Attr.CREATED_AT, n(t.createdAt().getEpochSecond()));
        item.put(Attr.EXPIRES_AT, n(t.expiresAt().getEpochSecond()));
        item.put(Attr.ATTEMPTS_LEFT, n(t.attemptsLeft()));
        item.put(Attr.CODE_LENGTH, n(t.codeLength()));
        item.put(Attr.STATE, s(t.state().name()));
        if (t.country() != null) {
            item.put(Attr.COUNTRY, s(t.country()));
        }
        SendMark m = t.mark();
        if (m != null) {
            item.put(Attr.SENT_CHANNEL, s(m.channel().name()));
            if (m.address() != null) {
                item.put(Attr.SENT_FROM, s(m.address()));
            }
            if (m.country() != null) {
                item.put(Attr.SENT_TO_COUNTRY, s(m.country()));
            }
            item.put(Attr.SENT_SHARD, n(m.countryShard()));
            item.put(Attr.SENT_HOUR, n(m.hour()));
            if (m.orgShard() >= 0) {
                item.put(Attr.SENT_ORG_SHARD, n(m.orgShard()));
            }
        }
        return item;
    }

    /** A stored transaction; one written before organisations (no OrgID, no CodeLength) is the legacy org's. */
    private OtpTransaction transaction(Map<String, AttributeValue> item) {
        String org = string(item, Attr.ORG_ID);
        return new OtpTransaction(string(item, Attr.TRANSACTION_ID), org != null ? org : keys.legacyOrg(),
                string(item, Attr.DOMAIN_ID),
                string(item, Attr.USER_ID), string(item, Attr.LOGIN_UID), Channel.valueOf(string(item, Attr.CHANNEL)),
                string(item, Attr.CODE_HASH), Instant.ofEpochSecond(number(item, Attr.CREATED_AT)),
                Instant.ofEpochSecond(number(item, Attr.EXPIRES_AT)), (int) number(item, Attr.ATTEMPTS_LEFT),
                item.containsKey(Attr.CODE_LENGTH) ? (int) number(item, Attr.CODE_LENGTH) : legacyCodeLength,
                State.valueOf(string(item, Attr.STATE)), mark(item), string(item, Attr.COUNTRY),
                string(item, Attr.MESSAGE_ID));
    }

    /** The send's mark, if it was counted by the fraud guard (codes written before it have none). */
    private static SendMark mark(Map<String, AttributeValue> item) {
        String channel = string(item, Attr.SENT_CHANNEL);
        if (channel == null) {
            return null;
        }
        long hour = number(item, Attr.SENT_HOUR);
        return new SendMark(Channel.valueOf(channel), string(item, Attr.SENT_FROM), string(item, Attr.SENT_TO_COUNTRY),
                (int) number(item, Attr.SENT_SHARD), hour, hour * HOUR / DAY,
                item.containsKey(Attr.SENT_ORG_SHARD) ? (int) number(item, Attr.SENT_ORG_SHARD) : -1);
    }
}
