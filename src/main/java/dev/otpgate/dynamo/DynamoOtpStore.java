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
 * (otp-limits, see {@link LimitItems}). Every state change is one TransactWriteItems whose
 * conditions carry the limits, so concurrent requests are serialised by DynamoDB itself.
 */
@ApplicationScoped
public class DynamoOtpStore implements OtpStore {

    private static final Logger LOG = Logger.getLogger(DynamoOtpStore.class);
    /** Attempts of one transaction under TransactionConflict; RequestDeadline budgets for them. */
    private static final int CONFLICT_RETRIES = 3;
    private static final long HOUR = 3600;

    private final DynamoDbClient dynamo;
    private final String transactions;
    private final LimitItems limits;
    private final OrgKeys keys;
    /** The length of codes written before each transaction stored its own: the deployment's. */
    private final int legacyCodeLength;

    DynamoOtpStore(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.transactions = config.tables().transactions();
        this.limits = new LimitItems(config.tables().limits());
        this.keys = new OrgKeys(config.tenancy().legacyOrg());
        this.legacyCodeLength = config.codeLength();
    }

    @Override
    public void issue(OtpTransaction t, String destinationKey, Policy.Limits policy, Instant at) {
        long now = at.getEpochSecond();
        long cooldown = policy.sendCooldown().toSeconds();
        long window = policy.sendWindow().toSeconds();
        long windowIndex = now / window;
        long windowEnd = (windowIndex + 1) * window;
        long hour = now / HOUR;
        String d = domain(t);
        String u = t.userId();
        String dest = keys.scoped(t.orgId(), destinationKey);
        // The user's item lives as long as its current code or its cooldown, whichever is longer.
        long userItemExpiry = Math.max(t.expiresAt().getEpochSecond(), now + cooldown);
        write(List.of(
                // A user whose guess budget is spent gets no new codes: they could not use them. First,
                // so that this answer wins over a send limit (the first failed condition is the answer).
                limits.guessBudgetLeft(LimitItems.failedGuesses(d, u, hour), policy.failedGuessesPerHour(),
                        (hour + 1) * HOUR, now),
                limits.cooldown(LimitItems.user(d, u), now, cooldown, userItemExpiry,
                        Map.of(Attr.CURRENT_TRANSACTION, s(t.transactionId()))),
                limits.count(LimitItems.userSends(d, u, windowIndex), policy.sendsPerWindow(), windowEnd, now),
                limits.cooldown(LimitItems.destination(dest), now, cooldown, now + cooldown, Map.of()),
                limits.count(LimitItems.destinationSends(dest, windowIndex), policy.sendsPerWindow(), windowEnd, now),
                new Guarded(TransactWriteItem.builder().put(p -> p.tableName(transactions).item(item(t))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", Attr.TRANSACTION_ID))).build(),
                        old -> { throw new IllegalStateException("TransactionID collision"); })));
    }

    @Override
    public void redirect(OtpTransaction t, Channel channel, String destinationKey, Policy.Limits policy, Instant at) {
        long now = at.getEpochSecond();
        long cooldown = policy.sendCooldown().toSeconds();
        long window = policy.sendWindow().toSeconds();
        long windowIndex = now / window;
        String dest = keys.scoped(t.orgId(), destinationKey);
        write(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        .updateExpression("SET #c = :c")
                        .conditionExpression("#st = :pending")
                        .expressionAttributeNames(Map.of("#c", Attr.CHANNEL, "#st", Attr.STATE))
                        .expressionAttributeValues(Map.of(":c", s(channel.name()), ":pending", s(State.PENDING.name()))))
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
    public Optional<OtpTransaction> find(String transactionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(transactions)
                .key(Map.of(Attr.TRANSACTION_ID, s(transactionId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(transaction(item));
    }

    @Override
    public void consume(OtpTransaction t, int failedGuessesPerHour, Instant at) {
        long now = at.getEpochSecond();
        long hour = now / HOUR;
        write(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        // Single use: the hash goes with the use, nothing is left to compare against.
                        .updateExpression("SET #st = :used REMOVE #h")
                        .conditionExpression("#st = :pending AND #a > :zero AND #x > :now")
                        .expressionAttributeNames(Map.of("#st", Attr.STATE, "#h", Attr.CODE_HASH,
                                "#a", Attr.ATTEMPTS_LEFT, "#x", Attr.EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":used", s(State.USED.name()), ":pending",
                                s(State.PENDING.name()), ":zero", n(0), ":now", n(now)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        old -> whyNotPending(old, now)),
                // The same order as recordWrongGuess: the first failed condition is the answer, so a right
                // and a wrong code must meet the checks in one order, or the answer tells them apart.
                limits.guessBudgetLeft(LimitItems.failedGuesses(domain(t), t.userId(), hour),
                        failedGuessesPerHour, (hour + 1) * HOUR, now),
                limits.current(domain(t), t.userId(), t.transactionId())));
    }

    @Override
    public int recordWrongGuess(OtpTransaction t, int failedGuessesPerHour, Instant at) {
        long now = at.getEpochSecond();
        long hour = now / HOUR;
        write(List.of(
                new Guarded(TransactWriteItem.builder().update(u -> u.tableName(transactions)
                        .key(Map.of(Attr.TRANSACTION_ID, s(t.transactionId())))
                        .updateExpression("SET #a = #a - :one")
                        .conditionExpression("#st = :pending AND #a > :zero")
                        .expressionAttributeNames(Map.of("#st", Attr.STATE, "#a", Attr.ATTEMPTS_LEFT))
                        .expressionAttributeValues(Map.of(":pending", s(State.PENDING.name()), ":zero", n(0),
                                ":one", n(1)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        old -> whyNotPending(old, now)),
                // Keep in the order of consume(): transaction, budget, current code.
                limits.countFailure(LimitItems.failedGuesses(domain(t), t.userId(), hour),
                        failedGuessesPerHour, (hour + 1) * HOUR, now),
                limits.current(domain(t), t.userId(), t.transactionId())));
        return t.attemptsLeft() - 1;
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
        List<TransactWriteItem> items = new ArrayList<>(actions.size());
        actions.forEach(a -> items.add(a.action()));
        for (int attempt = 1;; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                for (int i = 0; i < reasons.size() && i < actions.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        Map<String, AttributeValue> old = reasons.get(i).item();
                        throw actions.get(i).refusal().apply(old == null ? Map.of() : old);
                    }
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
                State.valueOf(string(item, Attr.STATE)));
    }
}
