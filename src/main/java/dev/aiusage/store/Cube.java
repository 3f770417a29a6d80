package dev.aiusage.store;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A rollup table: the dimensions and grains it keeps, narrowest last. A query reads the narrowest cube that has
 * all it needs. Only the team cube keeps buckets finer than a day: measured for a mid-size company (24 teams,
 * 600 users, 2,500 team × workflow × task × model combinations, 100K records over 90 days), the two wide cubes
 * held 2.4 and 1.9 rows per record at 15-minute and hourly grains, more rows than records, and folding them cost
 * more than storing the records. Their window edges come from the records. The team and model cubes are not
 * nested: a question by team reads the team cube, one by provider or model the model cube, one by neither either.
 */
enum Cube {
    FULL("rollup_full", List.of(Dimension.TEAM, Dimension.USER, Dimension.PROVIDER, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE),
            List.of(Grain.DAY)),
    /**
     * People: for adoption, breakdowns by user and each user's last day of use, which the full cube answers from
     * about a row per user, provider, model, workflow, task type and day; this keeps one per user and team a day,
     * so its rows grow with people and days, not with calls. No latency sketches (percentiles by user come from the
     * full cube), so it costs the fold little.
     */
    USER("rollup_user", List.of(Dimension.TEAM, Dimension.USER), List.of(Grain.DAY), false),
    WORK("rollup_work", List.of(Dimension.TEAM, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE),
            List.of(Grain.DAY)),
    TEAM("rollup_team", List.of(Dimension.TEAM), List.of(Grain.QUARTER, Grain.HOUR, Grain.DAY)),
    /** Few rows (models × buckets, about 0.1 per record for a mid-size company), so it keeps the fine grains. */
    MODEL("rollup_model", List.of(Dimension.PROVIDER, Dimension.MODEL), List.of(Grain.QUARTER, Grain.HOUR, Grain.DAY));

    final String table;
    final List<Dimension> dimensions;
    /** Finest first. */
    final List<Grain> grains;
    /** Whether its rows keep latency sketches, for percentiles. */
    final boolean sketches;

    Cube(String table, List<Dimension> dimensions, List<Grain> grains) {
        this(table, dimensions, grains, true);
    }

    Cube(String table, List<Dimension> dimensions, List<Grain> grains, boolean sketches) {
        this.table = table;
        this.dimensions = dimensions;
        this.grains = grains;
        this.sketches = sketches;
    }

    static Cube narrowestCovering(Set<Dimension> needed) {
        return narrowestCovering(needed, Set.of());
    }

    /** The narrowest cube that has every dimension of {@code needed}, other than those in {@code unusable}. */
    static Cube narrowestCovering(Set<Dimension> needed, Set<Cube> unusable) {
        Cube best = FULL;
        for (Cube cube : values()) {
            if (!unusable.contains(cube) && EnumSet.copyOf(cube.dimensions).containsAll(needed)) {
                best = cube;
            }
        }
        return best;
    }
}
