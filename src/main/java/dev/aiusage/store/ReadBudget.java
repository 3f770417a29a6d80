package dev.aiusage.store;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** The configured time budget of one request's reads ({@code aiusage.limits.query-time-budget}). */
@Singleton
public class ReadBudget {
    private final Duration budget;

    public ReadBudget(@Value("${aiusage.limits.query-time-budget:10s}") Duration budget) {
        this.budget = budget;
    }

    /** The deadline of a request that starts now. */
    public QueryBudget.Deadline start() {
        return QueryBudget.Deadline.after(budget);
    }
}
