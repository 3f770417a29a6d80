package dev.aiusage.outbound;

import java.time.Instant;

/** A report or ticket on its way out, with where it stands and what the destination answered. */
public record OutboundMessage(long id, Destination destination, String dedupeKey, String payload, OutboundStatus status,
                              int attemptCount, Instant nextAttemptAt, Instant createdAt, Instant doneAt,
                              String remoteKey, String remoteUrl) {
}
