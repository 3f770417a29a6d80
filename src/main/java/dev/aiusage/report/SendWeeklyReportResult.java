package dev.aiusage.report;

/** What {@code sendWeeklyReport} did: the exact payload and, unless a dry run, the delivery after its first attempt. */
public record SendWeeklyReportResult(boolean dryRun, String payload, ReportDelivery delivery) {
}
