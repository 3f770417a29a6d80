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
    long cacheRead;
    long cacheWrite;
    long reasoning;
    long unpriced;
    long unpricedTokens;
    /** The cost by kind: uncached input, cache read, cache write, output, reasoning. */
    final BigDecimal[] costByKind = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    /** The latencies, null while none was added. */
    LatencySketch latency;

    void add(UsageRecord r) {
        add(r, 1);
        if (r.latencyMs() != null) {
            if (latency == null) {
                latency = LatencySketch.empty();
            }
            latency.add(r.latencyMs());
        }
    }

    /**
     * Adds ({@code sign} 1) or takes away (-1) a record's sums and counts, not its latency in the sketch: a repricing
     * takes a record's old cost away and adds its new one, and its latency is the same in both.
     */
    void add(UsageRecord r, int sign) {
        BigDecimal s = BigDecimal.valueOf(sign);
        requests += sign;
        cost = cost.add(r.costUsd().multiply(s));
        costSquares = costSquares.add(r.costUsd().multiply(r.costUsd()).multiply(s));
        tokens += sign * r.tokens();
        inputTokens += sign * (r.inputTokens() == null ? 0L : r.inputTokens());
        outputTokens += sign * (r.outputTokens() == null ? 0L : r.outputTokens());
        cacheRead += sign * (r.cacheReadTokens() == null ? 0L : r.cacheReadTokens());
        cacheWrite += sign * (r.cacheWriteTokens() == null ? 0L : r.cacheWriteTokens());
        reasoning += sign * (r.reasoningTokens() == null ? 0L : r.reasoningTokens());
        UsageRecord.CostSplit split = r.split();
        if (split != null) {
            BigDecimal[] parts = {split.uncachedInput(), split.cacheRead(), split.cacheWrite(), split.output(), split.reasoning()};
            for (int i = 0; i < parts.length; i++) {
                costByKind[i] = costByKind[i].add(sign > 0 ? parts[i] : parts[i].negate());
            }
        }
        if (r.unpriced()) {
            unpriced += sign;
            unpricedTokens += sign * r.tokens();
        }
        if (r.latencyMs() != null) {
            latencySum += sign * (long) r.latencyMs();
            latencyCount += sign;
        }
        if (r.qualityScore() != null) {
            qualitySum = qualitySum.add(r.qualityScore().multiply(s));
            qualitySquares = qualitySquares.add(r.qualityScore().multiply(r.qualityScore()).multiply(s));
            qualityCount += sign;
            scoredCost = scoredCost.add(r.costUsd().multiply(s));
            if (r.latencyMs() != null) {
                scoredLatencySum += sign * (long) r.latencyMs();
                scoredLatencyCount += sign;
            }
        }
        if (r.passedQuality() != null) {
            verdicts += sign;
            if (r.passedQuality()) {
                passed += sign;
            }
        }
    }
}
