package dev.aiusage.people;

import java.util.List;

/** What a batch or an import stored, and each row it refused (nothing of a refused row is stored). */
public record ImportResult(int accepted, List<RowProblem> rejected) {
}
