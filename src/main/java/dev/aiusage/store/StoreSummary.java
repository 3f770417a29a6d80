package dev.aiusage.store;

import java.time.Instant;

/** How many records are stored and the span they cover; the instants are null when there are none. */
public record StoreSummary(long records, Instant oldest, Instant newest) {
}
