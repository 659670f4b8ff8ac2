package dev.otpgate.otp;

/**
 * A country's verified codes (successful validations), summed over the shards of its counter: in the
 * last hour (the larger of this and the previous clock hour), the last 24 clock hours, and the largest
 * of the 14 full UTC days before today.
 */
public record CountryTraffic(long verifiedLastHour, long verifiedLast24h, long maxVerifiedDay14) {

    public static final CountryTraffic NONE = new CountryTraffic(0, 0, 0);

    /** The anchor's daily threshold: max(floor, 0.2 x 14-day max per day, 0.2 x last 24 h). */
    public int dailyThreshold(int floor) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(floor, Math.max(maxVerifiedDay14 / 5, verifiedLast24h / 5)));
    }

    /**
     * How many shards the country's unverified counters use: from its 14-day history only, so that the number
     * stays the same all day (a shard's share of the threshold then matches what it counted since midnight).
     */
    public int shards(int floor, int max, int minPerShard) {
        long usual = Math.max(floor, maxVerifiedDay14 / 5);
        return (int) Math.max(1, Math.min(max, usual / minPerShard));
    }

    /** The anchor's hourly threshold: max(floor, daily / 6, 0.2 x last hour). */
    public int hourlyThreshold(int floor, int daily) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(floor, Math.max(daily / 6, verifiedLastHour / 5)));
    }
}
