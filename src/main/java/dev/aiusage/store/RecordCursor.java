package dev.aiusage.store;

import java.time.Instant;

/** Position in the newest-first order {@code (ts DESC, id DESC)}: the last record of a page. */
public record RecordCursor(Instant ts, long id) {
}
