package dev.aiusage.analysis;

import java.time.LocalDate;

/** Usage on one calendar day. */
public record DailyTrend(LocalDate day, double cost, long requests, int activeTeams) {
}
