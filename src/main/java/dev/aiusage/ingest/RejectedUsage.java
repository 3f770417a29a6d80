package dev.aiusage.ingest;

/** A record of a batch that was refused, and why. */
@io.micronaut.serde.annotation.Serdeable
public record RejectedUsage(int index, String requestId, String field, String message) {
}
