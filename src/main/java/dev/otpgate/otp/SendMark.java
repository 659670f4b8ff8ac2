package dev.otpgate.otp;

/**
 * What a send counted against the fraud guard's unverified counters, kept on its transaction (which lives
 * minutes) so that the successful validation can take it back: the source address, the destination
 * country and the shard of the country's counter, and the hour and day (UTC, epoch hours and days) the
 * send was counted in, and the shard of the organisation's day item (-1: none, a send counted before it had one).
 * Null fields were not counted.
 */
public record SendMark(Channel channel, String address, String country, int countryShard, long hour, long day,
        int orgShard) {
}
