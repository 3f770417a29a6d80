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
        @Nullable String priceRef,
        /* the cost by kind: null where nothing splits the cost (see CostSplit) */
        @Nullable BigDecimal costUncachedInputUsd,
        @Nullable BigDecimal costCacheReadUsd,
        @Nullable BigDecimal costCacheWriteUsd,
        @Nullable BigDecimal costOutputUsd,
        @Nullable BigDecimal costReasoningUsd) {

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

    /**
     * A call's cost by kind of token; what the kinds leave of the cost is per-call fees (and rounding of a split within
     * 10⁻⁹).
     */
    public record CostSplit(BigDecimal uncachedInput, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output,
                            BigDecimal reasoning) {
    }

    /** The same call with another cost, source, catalog figure, price and cost by kind (null: not split). */
    public UsageRecord priced(BigDecimal cost, short source, BigDecimal catalogCost, String ref, @Nullable CostSplit split) {
        return new UsageRecord(id, ts, provider, model, team, user, taskType, workflow, inputTokens, outputTokens, cost, latencyMs,
                qualityScore, passedQuality, requestId, sessionId, promptTemplate, promptVersion, promptChars, cacheReadTokens,
                cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, serviceTier, source, catalogCost, ref,
                split == null ? null : split.uncachedInput(), split == null ? null : split.cacheRead(),
                split == null ? null : split.cacheWrite(), split == null ? null : split.output(), split == null ? null : split.reasoning());
    }

    /** The cost by kind, or null where it is not split. */
    public @Nullable CostSplit split() {
        return costUncachedInputUsd == null ? null
                : new CostSplit(costUncachedInputUsd, costCacheReadUsd, costCacheWriteUsd, costOutputUsd, costReasoningUsd);
    }

    /** Input plus output tokens, a missing count taken as 0. */
    public long tokens() {
        return (inputTokens == null ? 0L : inputTokens) + (outputTokens == null ? 0L : outputTokens);
    }
}
