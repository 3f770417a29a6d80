package dev.aiusage.budget;

/** Where a budget stands in its period. */
public enum BudgetStatus {
    /** Spent and forecast both below the amount. */
    ON_TRACK,
    /** The forecast of the period's end reaches the amount; the spend so far does not. */
    AT_RISK,
    /** The spend so far reaches the amount. */
    OVER
}
