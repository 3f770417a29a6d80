package dev.aiusage.ingest;

import java.time.OffsetDateTime;

/**
 * One AI call as a client reports it, not yet validated: any field may be missing or out of range. Cache reads and
 * writes are parts of {@code inputTokens}, one-hour cache writes part of the cache writes, reasoning part of
 * {@code outputTokens}; {@code serviceTier} is a {@link dev.aiusage.pricing.ServiceTier} name or null (standard).
 */
public record UsageInput(OffsetDateTime ts, String provider, String model, String team, String user,
                         String taskType, String workflow, Integer inputTokens, Integer outputTokens,
                         Double costUsd, Integer latencyMs, Double qualityScore, Boolean passedQuality,
                         String requestId, String sessionId, String promptTemplate, String promptVersion,
                         Integer promptChars, Integer cacheReadTokens, Integer cacheWriteTokens, Integer cacheWrite1hTokens,
                         Integer reasoningTokens, String serviceTier) {

    /** A call with only the fields every sender has had since the first version (no token kinds, standard tier). */
    public UsageInput(OffsetDateTime ts, String provider, String model, String team, String user,
                      String taskType, String workflow, Integer inputTokens, Integer outputTokens,
                      Double costUsd, Integer latencyMs, Double qualityScore, Boolean passedQuality,
                      String requestId, String sessionId, String promptTemplate, String promptVersion, Integer promptChars) {
        this(ts, provider, model, team, user, taskType, workflow, inputTokens, outputTokens, costUsd, latencyMs, qualityScore,
                passedQuality, requestId, sessionId, promptTemplate, promptVersion, promptChars, null, null, null, null, null);
    }
}
