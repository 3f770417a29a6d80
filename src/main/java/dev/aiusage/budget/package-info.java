/**
 * Budgets and alerts: an amount per month or quarter for the company, a team or a workflow, what is spent of it,
 * a forecast of the period's end, and alerts through the outbound queue when spend or the forecast crosses a
 * threshold; spend anomalies alerted on request.
 */
package dev.aiusage.budget;
