package dev.aiusage.report;

import java.time.Instant;

/** The weekly report over {@code [weekStart, weekEnd)}. */
public record WeeklyReport(Instant weekStart, Instant weekEnd, String markdown) {
}
