package dev.aiusage.analysis;

import java.time.Instant;

/** What the running service is and what it holds. */
public record ServiceInfo(String version, boolean demoData, long records, Instant oldestRecord, Instant newestRecord, long unfoldedRecords) {
}
