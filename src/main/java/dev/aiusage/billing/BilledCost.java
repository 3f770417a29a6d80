package dev.aiusage.billing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One line of a provider's cost export: what the provider billed for one UTC day (and, where the export says,
 * one model, workspace or project, and line item), in US dollars. {@code lineKey} is the provider and what
 * identifies the line in its export, so a line imported again replaces itself.
 */
@MappedEntity(value = "billed_cost", escape = false)
public record BilledCost(@Id String lineKey, String provider, LocalDate billDay, @Nullable String model, @Nullable String workspace,
                         @Nullable String lineItem, BigDecimal amountUsd, Instant importedAt) {
}
