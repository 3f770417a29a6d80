package dev.aiusage.people;

import io.micronaut.serde.annotation.Serdeable;

/** Why one line of an imported CSV file was not stored; the header is line 1. */
@Serdeable
public record LineProblem(long line, String field, String message) {
}
