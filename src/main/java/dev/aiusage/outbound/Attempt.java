package dev.aiusage.outbound;

import java.time.Instant;

/** One try at sending a message. {@code error} never holds a secret; {@code httpStatus} is null when no answer came. */
public record Attempt(Instant at, boolean succeeded, Integer httpStatus, String error, int durationMs) {
}
