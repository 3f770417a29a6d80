package dev.aiusage.analysis;

import java.time.Instant;

/** One row of a breakdown: a bucket (when bucketed) and the values of the dimensions grouped by; the others are null. */
public record UsageRow(Instant bucketStart, String team, String user, String provider, String model, String workflow,
                       String taskType, UsageMeasures measures, UsageMeasures previous) {
}
