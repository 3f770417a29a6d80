package dev.aiusage.store;

/**
 * The sums of one group of records in one bucket of a breakdown.
 *
 * @param bucket       start of the bucket (a local midnight for day buckets), null when not bucketed
 * @param stats        the group's values and sums
 * @param inputTokens  sum of inputTokens
 * @param outputTokens sum of outputTokens
 */
public record UsageCell(java.time.Instant bucket, GroupStats stats, long inputTokens, long outputTokens) {
}
