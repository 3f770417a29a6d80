package dev.aiusage.ingest;

import java.util.List;

/** What happened to the records of one mutation. */
public record RecordUsageResult(int accepted, int duplicates, List<RejectedUsage> rejected) {
}
