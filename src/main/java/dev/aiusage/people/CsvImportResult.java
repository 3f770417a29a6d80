package dev.aiusage.people;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What a CSV import stored, and each line it refused (nothing of a refused line is stored). */
@Serdeable
public record CsvImportResult(int accepted, List<LineProblem> rejected) {
}
