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
 */
public record UsageMeasures(double cost, long requests, long inputTokens, long outputTokens, long tokens, Double avgLatencyMs,
                            Double latencyP50Ms, Double latencyP95Ms, Double latencyP99Ms, long scoredRequests, Double avgQuality, Double passRate) {
}
