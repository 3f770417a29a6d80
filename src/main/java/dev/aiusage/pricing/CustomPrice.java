package dev.aiusage.pricing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A custom or contract price an ADMIN set: for one provider and a model (its exact name, aliases, or a pattern the
 * whole name matches), from {@code effectiveFrom} until {@code effectiveTo} (null: open), for one service tier.
 * Wins over every shipped price; among custom prices for the same call, the highest priority, then a name over a
 * pattern, then the latest start. {@code longContext} holds the long-context tiers in the catalog's JSON form.
 */
@MappedEntity(value = "custom_price", escape = false)
public record CustomPrice(@Id @GeneratedValue @Nullable Long id, String provider, @Nullable String model,
                          @Nullable String aliases, @Nullable String pattern, int priority, Instant effectiveFrom,
                          @Nullable Instant effectiveTo, String serviceTier,
                          @MappedProperty("input_rate") @Nullable BigDecimal input,
                          @MappedProperty("cache_read_rate") @Nullable BigDecimal cacheRead,
                          @MappedProperty("cache_write_rate") @Nullable BigDecimal cacheWrite,
                          @MappedProperty("cache_write_1h_rate") @Nullable BigDecimal cacheWrite1h,
                          @MappedProperty("output_rate") @Nullable BigDecimal output,
                          @MappedProperty("reasoning_rate") @Nullable BigDecimal reasoning,
                          @MappedProperty("request_fee") @Nullable BigDecimal perRequest,
                          @Nullable String longContext, @Nullable String note, Instant createdAt) {

    public String ref() {
        return "custom:" + id;
    }

    Rates rates() {
        return new Rates(input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, perRequest);
    }
}
