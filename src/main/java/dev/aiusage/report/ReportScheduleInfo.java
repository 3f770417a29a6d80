package dev.aiusage.report;

import java.time.Instant;
import java.util.List;

/** The schedule as configured, without secrets. */
public record ReportScheduleInfo(boolean enabled, String cron, String timeZone, Instant nextRun, List<String> destinations) {
}
