package dev.aiusage.analysis;

import java.time.LocalDate;

/** Usage on one calendar day; {@code unpricedRequests} of its calls had no price (their cost counts 0). */
public record DailyTrend(LocalDate day, double cost, long requests, int activeTeams, long unpricedRequests) {
}
