package dev.aiusage.budget;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A budget as stored: {@code scope} COMPANY, TEAM or WORKFLOW, {@code target} the team or workflow ('' for the
 * company), {@code period} MONTH or QUARTER in {@code timeZone}, {@code thresholds} the alert shares ascending,
 * comma-separated.
 */
@MappedEntity(value = "budget", escape = false)
public record Budget(@Id @GeneratedValue @Nullable Long id, String name, String scope, String target, BigDecimal amountUsd,
                     String period, String timeZone, String thresholds, Instant createdAt, Instant updatedAt) {

    public Scope scopeKind() {
        return Scope.valueOf(scope);
    }

    public Period periodKind() {
        return Period.valueOf(period);
    }

    public List<Double> thresholdList() {
        return Arrays.stream(thresholds.split(",")).map(Double::valueOf).toList();
    }

    /** What a budget covers. */
    public enum Scope {
        COMPANY, TEAM, WORKFLOW
    }
}
