package dev.aiusage.store;

/**
 * The sums of one group of records in one bucket of a breakdown.
 *
 * @param bucket       start of the bucket (a local midnight for day buckets), null when not bucketed
 * @param stats        the group's values and sums
 * @param inputTokens  sum of inputTokens
 * @param outputTokens sum of outputTokens
 * @param cacheReadTokens  sum of cacheReadTokens (part of inputTokens)
 * @param cacheWriteTokens sum of cacheWriteTokens (part of inputTokens)
 * @param reasoningTokens  sum of reasoningTokens (part of outputTokens)
 * @param unpriced         calls no price was known for (their cost counts 0 until repriced)
 * @param unpricedTokens   their input plus output tokens
 * @param costByKind       the cost of uncached input, cache reads, cache writes, output and reasoning; null when the
 *                         cell came from the in-memory index, which does not keep it
 */
public record UsageCell(java.time.Instant bucket, GroupStats stats, long inputTokens, long outputTokens, long cacheReadTokens,
                        long cacheWriteTokens, long reasoningTokens, long unpriced, long unpricedTokens,
                        java.math.BigDecimal[] costByKind) {
}
