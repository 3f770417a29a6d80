package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.math.BigDecimal;
import java.time.Instant;

/** One stored AI API call, as in table {@code usage_record}. */
@MappedEntity(value = "usage_record", escape = false)
public record UsageRecord(
        @Id @GeneratedValue @Nullable Long id,
        Instant ts,
        String provider,
        String model,
        String team,
        @MappedProperty("user_name") @Nullable String user,
        String taskType,
        @Nullable String workflow,
        @Nullable Integer inputTokens,
        @Nullable Integer outputTokens,
        BigDecimal costUsd,
        @Nullable Integer latencyMs,
        @Nullable BigDecimal qualityScore,
        @Nullable Boolean passedQuality,
        @Nullable String requestId,
        @Nullable String sessionId,
        @Nullable String promptTemplate,
        @Nullable String promptVersion,
        @Nullable Integer promptChars,
        @Nullable Integer cacheReadTokens,
        @Nullable Integer cacheWriteTokens,
        @MappedProperty("cache_write_1h_tokens") @Nullable Integer cacheWrite1hTokens,
        @Nullable Integer reasoningTokens,
        /** {@link dev.aiusage.pricing.ServiceTier} ordinal; null for standard. */
        @Nullable Short serviceTier,
        /** {@link #REPORTED}, {@link #CATALOG} or {@link #UNPRICED}. */
        short costSource,
        @Nullable BigDecimal catalogCostUsd,
        @Nullable String priceRef) {

    public static final short REPORTED = 0;
    public static final short CATALOG = 1;
    public static final short UNPRICED = 2;

    /** Whether the record passes {@code filter}, as every read's WHERE clause would decide. */
    public boolean matches(UsageFilter filter) {
        return Where.matches(filter, this);
    }

    public boolean unpriced() {
        return costSource == UNPRICED;
    }

    /** The same call with another cost, source, catalog figure and price. */
    public UsageRecord priced(BigDecimal cost, short source, BigDecimal catalogCost, String ref) {
        return new UsageRecord(id, ts, provider, model, team, user, taskType, workflow, inputTokens, outputTokens, cost, latencyMs,
                qualityScore, passedQuality, requestId, sessionId, promptTemplate, promptVersion, promptChars, cacheReadTokens,
                cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, serviceTier, source, catalogCost, ref);
    }

    /** Input plus output tokens, a missing count taken as 0. */
    public long tokens() {
        return (inputTokens == null ? 0L : inputTokens) + (outputTokens == null ? 0L : outputTokens);
    }
}
