package dev.aiusage.ingest;

import dev.aiusage.store.RollupRebuilder;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Recomputes the rollups that ingest keeps, from the raw records: after a restore, a bug fix or a manual edit. */
@Singleton
public class RollupMaintenance {
    private final RollupRebuilder rebuilder;
    private final Clock clock;

    public RollupMaintenance(RollupRebuilder rebuilder, Clock clock) {
        this.rebuilder = rebuilder;
        this.clock = clock;
    }

    /** What a rebuild did and how long it took. */
    public record RebuildReport(long records, long rollupRows, long tookMs) {
    }

    public RebuildReport rebuild() {
        Instant start = clock.instant();
        RollupRebuilder.Result result = rebuilder.rebuild();
        return new RebuildReport(result.records(), result.rollupRows(), Duration.between(start, clock.instant()).toMillis());
    }
}
