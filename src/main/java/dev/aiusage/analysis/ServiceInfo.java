package dev.aiusage.analysis;

import dev.aiusage.store.IndexStatus;

import java.time.Instant;
import java.util.List;

/** What the running service is and what it holds. */
public record ServiceInfo(String version, boolean demoData, long records, Instant oldestRecord, Instant newestRecord, long unfoldedRecords,
                          List<IndexStatus> indexes) {
}
