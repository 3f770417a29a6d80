package dev.aiusage.budget;

import dev.aiusage.analysis.Interval;

import java.time.Instant;
import java.util.List;

/**
 * A budget with where it stands now: its period's bounds (local midnights of its zone), what is spent so far, the
 * forecast of the period's end with its 90% interval, and the status they give.
 */
public record BudgetView(long id, String name, Budget.Scope scope, String team, String workflow, double amountUsd, Period period,
                         String timeZone, List<Double> thresholds, Instant periodStart, Instant periodEnd, Instant asOf,
                         double spent, double spentShare, Interval forecast, BudgetStatus status) {
}
