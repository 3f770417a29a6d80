package dev.aiusage.intake.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * Where an import stands: while it runs (state RUNNING) and after (DONE, or FAILED when the file could not be read
 * on: what came before the failure is stored). {@code lines} read so far, records {@code accepted}, {@code
 * duplicates} (stored before, by request id), {@code rejected} with the first {@value BulkImporter#KEPT_REJECTIONS}
 * listed by line and reason; {@code ignoredColumns}: columns that fill no field.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImportProgress(String id, @Nullable String name, String format, String state, Instant startedAt, @Nullable Instant finishedAt,
                             long bytesRead, @Nullable Long totalBytes, long lines, long accepted, long duplicates, long rejected,
                             List<RowRejection> rejections, List<String> ignoredColumns, double recordsPerSecond, @Nullable String message) {

    /** A line that was not imported: its number (1 is the first line of the file, a CSV header included), the field at fault and why. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RowRejection(long line, @Nullable String requestId, @Nullable String field, String message) {
    }
}
