package dev.aiusage.store;

import java.math.BigDecimal;

/** The sums and counts a rollup row keeps, accumulated record by record. */
final class Measures {
    long requests;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal costSquares = BigDecimal.ZERO;
    long tokens;
    long inputTokens;
    long outputTokens;
    long latencySum;
    long latencyCount;
    BigDecimal qualitySum = BigDecimal.ZERO;
    BigDecimal qualitySquares = BigDecimal.ZERO;
    long qualityCount;
    long passed;
    long verdicts;
    BigDecimal scoredCost = BigDecimal.ZERO;
    long scoredLatencySum;
    long scoredLatencyCount;
    /** The latencies, null while none was added. */
    LatencySketch latency;

    void add(UsageRecord r) {
        requests++;
        cost = cost.add(r.costUsd());
        costSquares = costSquares.add(r.costUsd().multiply(r.costUsd()));
        tokens += r.tokens();
        inputTokens += r.inputTokens() == null ? 0 : r.inputTokens();
        outputTokens += r.outputTokens() == null ? 0 : r.outputTokens();
        if (r.latencyMs() != null) {
            latencySum += r.latencyMs();
            latencyCount++;
            if (latency == null) {
                latency = LatencySketch.empty();
            }
            latency.add(r.latencyMs());
        }
        if (r.qualityScore() != null) {
            qualitySum = qualitySum.add(r.qualityScore());
            qualitySquares = qualitySquares.add(r.qualityScore().multiply(r.qualityScore()));
            qualityCount++;
            scoredCost = scoredCost.add(r.costUsd());
            if (r.latencyMs() != null) {
                scoredLatencySum += r.latencyMs();
                scoredLatencyCount++;
            }
        }
        if (r.passedQuality() != null) {
            verdicts++;
            if (r.passedQuality()) {
                passed++;
            }
        }
    }
}
