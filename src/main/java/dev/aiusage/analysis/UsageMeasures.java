package dev.aiusage.analysis;

/**
 * What a breakdown row measures; averages and rates are null where nothing was measured.
 *
 * @param cost           sum of costUsd
 * @param requests       calls
 * @param inputTokens    sum of inputTokens
 * @param outputTokens   sum of outputTokens
 * @param tokens         inputTokens + outputTokens
 * @param avgLatencyMs   mean latencyMs over calls that have one
 * @param latencyP50Ms   median latencyMs, within 1% (from the rollups' sketches); null unless asked for
 * @param latencyP95Ms   95th percentile, within 1%
 * @param latencyP99Ms   99th percentile, within 1%
 * @param scoredRequests calls with a qualityScore
 * @param avgQuality     mean qualityScore over scored calls
 * @param passRate       share of calls with a passedQuality verdict that passed
 * @param cacheReadTokens     sum of cacheReadTokens (part of inputTokens)
 * @param cacheWriteTokens    sum of cacheWriteTokens (part of inputTokens)
 * @param reasoningTokens     sum of reasoningTokens (part of outputTokens)
 * @param unpricedRequests    calls no price was known for (cost 0 until repriced)
 * @param unpricedTokens      their input plus output tokens
 * @param costByKind          the cost by kind of token (computed only when asked for; else zeros)
 */
public record UsageMeasures(double cost, long requests, long inputTokens, long outputTokens, long tokens, Double avgLatencyMs,
                            Double latencyP50Ms, Double latencyP95Ms, Double latencyP99Ms, long scoredRequests, Double avgQuality, Double passRate,
                            long cacheReadTokens, long cacheWriteTokens, long reasoningTokens, long unpricedRequests, long unpricedTokens,
                            CostByKind costByKind) {

    /** Input neither read from nor written to the cache. */
    public long uncachedInputTokens() {
        return inputTokens - cacheReadTokens - cacheWriteTokens;
    }

    /** Output other than reasoning. */
    public long visibleOutputTokens() {
        return outputTokens - reasoningTokens;
    }

    /** Share of the input read from the cache; null without input. */
    public Double cacheHitRate() {
        return inputTokens == 0 ? null : (double) cacheReadTokens / inputTokens;
    }
}
