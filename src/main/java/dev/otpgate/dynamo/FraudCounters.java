package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.n;
import static dev.otpgate.dynamo.Attr.number;
import static dev.otpgate.dynamo.Attr.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.CountryTraffic;
import dev.otpgate.otp.FraudCheck;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.Refusals;
import dev.otpgate.otp.SendMark;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The fraud guard's counters in otp-limits (docs/limits-and-fraud.md "Items per transaction"): the actions a send
 * adds to its transaction, those its successful validation adds to take the send back, and a country's verified
 * traffic. The store writes them with its own; nothing here writes alone.
 */
final class FraudCounters {

    private static final long HOUR = 3600;
    private static final long DAY = 86400;

    /**
     * A send's fraud actions: {@code guarded} with every rule's condition; {@code unconditional} the same updates
     * with only the hard caps' conditions (the budgets, the caller quota), for record mode's second write;
     * {@code heuristic}: a heuristic rule applies to this send.
     */
    record Counted(List<Guarded> guarded, List<Guarded> unconditional, boolean heuristic, List<Guarded> firstToCountry) {
    }

    /**
     * The deployment-wide country rule refused a send whose other conditions all passed (it is the last action).
     * Shared by every organisation, it must not be closed for one by the others' codes (issue 22, finding 8): the
     * store then tries {@link Counted#firstToCountry}, which passes it for an organisation with no unverified SMS of
     * its own to the country today.
     */
    static final class SharedCountryRefusal extends OtpFailure {
        SharedCountryRefusal(OtpFailure answer) {
            super(answer.kind(), answer.outcome(), answer.getMessage(), answer.retryAfterSeconds());
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    FraudCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** What a send counts, for its transaction (null: the guard did not look at it). */
    static SendMark mark(FraudCheck fraud, long now) {
        if (fraud.channel() == null) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean country = fraud.countryDaily() > 0;
        int countryShard = country ? random.nextInt(fraud.countryShards()) : 0;
        // The organisation's country counters share its day item: a country's shard picks the item's, so that a
        // small threshold (an unserved country: one shard) stays on one exact counter.
        int orgShard = fraud.orgBudgetDaily() <= 0 ? -1
                : country ? countryShard % fraud.orgCountryShards() : random.nextInt(fraud.orgShards());
        return new SendMark(fraud.channel(), fraud.addressDaily() > 0 ? fraud.address() : null,
                country ? fraud.country() : null, countryShard, now / HOUR, now / DAY, orgShard);
    }

    /** The actions a send adds to its transaction, in the order of their answers: hard caps first. */
    Counted send(FraudCheck fraud, SendMark mark, String orgId, long now) {
        long hour = mark.hour();
        long day = mark.day();
        long dayEnd = (day + 1) * DAY;
        long hourEnd = (hour + 1) * HOUR;
        List<Guarded> guarded = new ArrayList<>();
        List<Guarded> unconditional = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // The deployment's daily budget: the last circuit breaker.
        if (fraud.budgetDaily() > 0) {
            Expr e = dayCounter(day, perShard(fraud.budgetDaily(), fraud.budgetShards()));
            String reason = fraud.channel() == Channel.SMS ? "sms_budget" : "email_budget";
            Guarded g = new Guarded(e.action(table, LimitItems.fraudBudget(fraud.channel().name(),
                    random.nextInt(fraud.budgetShards())), true), old -> Refusals.fraud(reason, dayEnd - now));
            guarded.add(g);
            unconditional.add(g);
        }
        // The organisation's day item: its budget, the caller's quota, its own country counters.
        if (mark.orgShard() >= 0) {
            String key = LimitItems.fraudOrg(orgId, fraud.channel().name(), day, mark.orgShard());
            Function<Map<String, AttributeValue>, OtpFailure> refusal = orgRefusal(fraud, mark, now);
            guarded.add(new Guarded(orgDay(fraud, mark, true).action(table, key, true), refusal));
            unconditional.add(new Guarded(orgDay(fraud, mark, false).action(table, key, true), refusal));
        }
        // The heuristic rules: conditions in deny mode; record mode writes them again without (DynamoOtpStore).
        List<Expr> heuristics = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Function<Map<String, AttributeValue>, OtpFailure>> refusals = new ArrayList<>();
        if (mark.address() != null) {
            String h = "H" + hour;
            String dd = "D" + day;
            String c = "C" + day;
            Expr e = new Expr().add(h, 1).add(dd, 1).set(Attr.EXPIRES_AT, n(dayEnd + DAY))
                    .remove("H" + (hour - 2)).remove("D" + (day - 2)).remove("C" + (day - 2)).remove("V" + (day - 2))
                    .below(h, fraud.addressHourly()).below(dd, fraud.addressDaily());
            if (fraud.country() != null) {
                e.addToSet(c, fraud.country());
                String cn = e.name(c);
                String vn = e.name("V" + day);
                String cc = e.value(s(fraud.country()));
                e.condition("(attribute_not_exists(" + cn + ") OR size(" + cn + ") < "
                        + e.value(n(fraud.countriesPerAddress())) + " OR contains(" + cn + ", " + cc + ") OR contains("
                        + vn + ", " + cc + "))");
            }
            heuristics.add(e);
            keys.add(LimitItems.fraudAddress(fraud.channel().name(), mark.address()));
            refusals.add(old -> Attr.number(old, h) >= fraud.addressHourly() ? Refusals.fraud("fraud_address_hourly", hourEnd - now)
                    : Attr.number(old, dd) >= fraud.addressDaily() ? Refusals.fraud("fraud_address_daily", dayEnd - now)
                    : Refusals.fraud("fraud_countries_per_address", dayEnd - now));
        }
        if (mark.country() != null) {
            String h = "UH" + hour;
            String dd = "UD" + day;
            int hourMax = perShard(fraud.countryHourly(), fraud.countryShards());
            Expr e = new Expr().add(h, 1).add(dd, 1).set(Attr.EXPIRES_AT, n(dayEnd + 15 * DAY))
                    .remove("UH" + (hour - 2)).remove("UD" + (day - 2))
                    .below(h, hourMax).below(dd, perShard(fraud.countryDaily(), fraud.countryShards()));
            heuristics.add(e);
            keys.add(LimitItems.fraudCountry(mark.country(), mark.countryShard()));
            refusals.add(old -> new SharedCountryRefusal(Attr.number(old, h) >= hourMax
                    ? Refusals.fraud("fraud_country_hourly", hourEnd - now)
                    : Refusals.fraud("fraud_country_daily", dayEnd - now)));
        }
        List<Guarded> firstToCountry = new ArrayList<>(guarded);
        for (int i = 0; i < heuristics.size(); i++) {
            guarded.add(new Guarded(heuristics.get(i).action(table, keys.get(i), true), refusals.get(i)));
            unconditional.add(new Guarded(heuristics.get(i).action(table, keys.get(i), false), refusals.get(i)));
            boolean deploymentCountry = mark.country() != null && i == heuristics.size() - 1;
            firstToCountry.add(new Guarded(heuristics.get(i).action(table, keys.get(i), !deploymentCountry),
                    refusals.get(i)));
        }
        if (mark.country() == null || mark.orgShard() < 0) {
            return new Counted(guarded, unconditional, !heuristics.isEmpty(), null);
        }
        // The organisation's day item again, with one more condition: none of its own unverified SMS to the country
        // today (a validation takes a verified one back). Its refusal is then the shared rule's, which the store keeps.
        String orgKey = LimitItems.fraudOrg(orgId, fraud.channel().name(), day, mark.orgShard());
        Expr none = orgDay(fraud, mark, true);
        String unverified = none.name(orgUnverifiedDay(mark.country()));
        none.condition("(attribute_not_exists(" + unverified + ") OR " + unverified + " < " + none.value(n(1)) + ")");
        for (int i = 0; i < firstToCountry.size(); i++) {
            if (firstToCountry.get(i).action().update().key().get(Attr.LIMIT_KEY).s().equals(orgKey)) {
                firstToCountry.set(i, new Guarded(none.action(table, orgKey, true), firstToCountry.get(i).refusal()));
            }
        }
        return new Counted(guarded, unconditional, true, firstToCountry);
    }

    /**
     * The organisation's day item (fraud#org#...): {@code Sends} below its budget's share, the caller's
     * {@code Caller#<OrgID/name>} below its quota's share, and, with {@code countryRule}, the organisation's
     * unverified SMS to the country this hour and day ({@code UH<hour>#<CC>}, {@code UD#<CC>}) below its thresholds.
     */
    private static Expr orgDay(FraudCheck fraud, SendMark mark, boolean countryRule) {
        Expr e = new Expr().add(Attr.SENDS, 1).set(Attr.EXPIRES_AT, n((mark.day() + 2) * DAY))
                .below(Attr.SENDS, perShard(fraud.orgBudgetDaily(), fraud.orgShards()));
        if (fraud.callerDaily() > 0) {
            e.add(callerSends(fraud.caller()), 1).below(callerSends(fraud.caller()),
                    perShard(fraud.callerDaily(), fraud.orgShards()));
        }
        if (mark.country() != null) {
            String h = orgUnverifiedHour(mark.hour(), mark.country());
            String d = orgUnverifiedDay(mark.country());
            e.add(h, 1).add(d, 1).remove(orgUnverifiedHour(mark.hour() - 2, mark.country()));
            if (countryRule) {
                e.below(h, perShard(fraud.orgCountryHourly(), fraud.orgCountryShards()))
                        .below(d, perShard(fraud.orgCountryDaily(), fraud.orgCountryShards()));
            }
        }
        return e;
    }

    /** Which of the organisation item's conditions failed: a hard cap before its country rule. */
    private static Function<Map<String, AttributeValue>, OtpFailure> orgRefusal(FraudCheck fraud, SendMark mark, long now) {
        long dayEnd = (mark.day() + 1) * DAY;
        long hourEnd = (mark.hour() + 1) * HOUR;
        return old -> {
            if (number(old, Attr.SENDS) >= perShard(fraud.orgBudgetDaily(), fraud.orgShards())) {
                return Refusals.fraud(fraud.channel() == Channel.SMS ? "org_sms_budget" : "org_email_budget", dayEnd - now);
            }
            if (fraud.callerDaily() > 0
                    && number(old, callerSends(fraud.caller())) >= perShard(fraud.callerDaily(), fraud.orgShards())) {
                return Refusals.fraud("caller_quota", dayEnd - now);
            }
            return number(old, orgUnverifiedHour(mark.hour(), mark.country()))
                    >= perShard(fraud.orgCountryHourly(), fraud.orgCountryShards())
                            ? Refusals.fraud("fraud_country_hourly", hourEnd - now)
                            : Refusals.fraud("fraud_country_daily", dayEnd - now);
        };
    }

    /**
     * The actions a successful validation adds: its send, verified, leaves the unverified counters it was counted
     * on (the address's, the organisation's and the deployment's for its country) and counts as the country's
     * verified traffic. None for a send the guard did not count.
     */
    List<Guarded> verified(SendMark m, String orgId, long now) {
        List<Guarded> actions = new ArrayList<>();
        if (m == null) {
            return actions;
        }
        if (m.address() != null) {
            Expr e = new Expr().add("H" + m.hour(), -1).add("D" + m.day(), -1)
                    .set(Attr.EXPIRES_AT, n((m.day() + 2) * DAY)); // as the send set it
            if (m.country() != null) {
                e.deleteFromSet("C" + m.day(), m.country()).addToSet("V" + m.day(), m.country());
            }
            actions.add(new Guarded(e.action(table, LimitItems.fraudAddress(m.channel().name(), m.address()), false),
                    old -> Refusals.unavailable()));
        }
        if (m.country() != null && m.orgShard() >= 0) {
            Expr e = new Expr().add(orgUnverifiedHour(m.hour(), m.country()), -1).add(orgUnverifiedDay(m.country()), -1)
                    .set(Attr.EXPIRES_AT, n((m.day() + 2) * DAY));
            actions.add(new Guarded(e.action(table, LimitItems.fraudOrg(orgId, m.channel().name(), m.day(), m.orgShard()),
                    false), old -> Refusals.unavailable()));
        }
        if (m.country() != null) {
            long hour = now / HOUR;
            long day = now / DAY;
            Expr e = new Expr().add("UH" + m.hour(), -1).add("UD" + m.day(), -1).add("VH" + hour, 1).add("VD" + day, 1)
                    .set(Attr.EXPIRES_AT, n((day + 16) * DAY)).remove("VH" + (hour - 25)).remove("VD" + (day - 15));
            actions.add(new Guarded(e.action(table, LimitItems.fraudCountry(m.country(), m.countryShard()), false),
                    old -> Refusals.unavailable()));
        }
        return actions;
    }

    /** A country's verified traffic over {@code shards} shards: one BatchGetItem (unprocessed keys asked again). */
    CountryTraffic countryTraffic(String country, int shards, long now) {
        long hour = now / HOUR;
        long day = now / DAY;
        List<Map<String, AttributeValue>> keysToRead = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            keysToRead.add(Map.of(Attr.LIMIT_KEY, s(LimitItems.fraudCountry(country, i))));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> ask = keysToRead;
        for (int round = 0; round < 3 && !ask.isEmpty(); round++) { // unprocessed keys (throttling): asked again
            List<Map<String, AttributeValue>> these = ask;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder()
                    .keys(these).build())));
            items.addAll(r.responses().getOrDefault(table, List.of()));
            ask = r.hasUnprocessedKeys() && r.unprocessedKeys().containsKey(table)
                    ? r.unprocessedKeys().get(table).keys() : List.of();
        }
        long lastHour = Math.max(sum(items, "VH" + hour), sum(items, "VH" + (hour - 1)));
        long last24 = 0;
        for (long h = hour - 23; h <= hour; h++) {
            last24 += sum(items, "VH" + h);
        }
        long max14 = 0; // the 14 full days before today: it stays the same all day, and so do the shards it sets
        for (long d = day - 14; d < day; d++) {
            max14 = Math.max(max14, sum(items, "VD" + d));
        }
        return new CountryTraffic(lastHour, last24, max14);
    }

    /** A deployment-wide day counter shard: D&lt;day&gt; below {@code max}, two days before it removed. */
    private static Expr dayCounter(long day, int max) {
        return new Expr().add("D" + day, 1).set(Attr.EXPIRES_AT, n((day + 2) * DAY)).remove("D" + (day - 2))
                .below("D" + day, max);
    }

    /** A limit spread over {@code shards} counters: each one's share, rounded up (the total is within shards - 1). */
    static int perShard(int limit, int shards) {
        return (limit + shards - 1) / shards;
    }

    private static String callerSends(String caller) {
        return "Caller#" + caller;
    }

    private static String orgUnverifiedHour(long hour, String country) {
        return "UH" + hour + "#" + country;
    }

    private static String orgUnverifiedDay(String country) {
        return "UD#" + country;
    }

    private static long sum(List<Map<String, AttributeValue>> items, String attribute) {
        long total = 0;
        for (Map<String, AttributeValue> item : items) {
            total += number(item, attribute);
        }
        return total;
    }
}
