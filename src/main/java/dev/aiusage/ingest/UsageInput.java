package dev.aiusage.ingest;

import java.time.OffsetDateTime;

/** One AI call as a client reports it, not yet validated: any field may be missing or out of range. */
public record UsageInput(OffsetDateTime ts, String provider, String model, String team, String user,
                         String taskType, String workflow, Integer inputTokens, Integer outputTokens,
                         Double costUsd, Integer latencyMs, Double qualityScore, Boolean passedQuality,
                         String requestId, String sessionId, String promptTemplate, String promptVersion,
                         Integer promptChars) {
}
