package dev.aiusage.store;

import java.math.BigDecimal;
import java.util.List;

/**
 * Sums and counts of one group of records, from which every average is derived. Keeping sums rather than
 * averages lets groups be combined exactly.
 *
 * @param keys         the group's values, in the order of the dimensions asked for (null where the record had none)
 * @param requests     records in the group
 * @param cost         sum of costUsd
 * @param tokens       sum of input and output tokens
 * @param latencySum   sum of latencyMs over records that have one
 * @param latencyCount records that have a latency
 * @param qualitySum   sum of qualityScore over scored records
 * @param qualityCount scored records
 * @param passed       records with passedQuality true
 * @param verdicts     records with a passedQuality verdict
 * @param scoredCost   sum of costUsd over scored records
 * @param scoredLatencySum   sum of latencyMs over scored records that have one
 * @param scoredLatencyCount scored records that have a latency
 * @param unpriced     records no price was known for (cost 0 until repriced)
 * @param qualitySquares sum of qualityScore² over scored records, for the variance of quality
 * @param costSquares    sum of costUsd² over all records, for the variance of cost; the in-memory index keeps both
 *                       rounded to 10⁻⁹ and 10⁻¹⁰ per day and record, the rollups exactly
 */
public record GroupStats(List<String> keys, long requests, BigDecimal cost, long tokens,
                         long latencySum, long latencyCount, BigDecimal qualitySum, long qualityCount,
                         long passed, long verdicts, BigDecimal scoredCost, long scoredLatencySum, long scoredLatencyCount,
                         long unpriced, BigDecimal qualitySquares, BigDecimal costSquares) {

    public String key(int index) {
        return keys.get(index);
    }
}
