package dev.aiusage.store;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A rollup table: the dimensions and grains it keeps, narrowest last. A query reads the narrowest cube that has
 * all it needs. The six-dimension cube has no 15-minute grain: at realistic densities it would hold about one
 * row per record, costing ingest as much as the raw table and saving reads nothing.
 */
enum Cube {
    FULL("rollup_full", List.of(Dimension.TEAM, Dimension.USER, Dimension.PROVIDER, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE),
            List.of(Grain.HOUR, Grain.DAY)),
    WORK("rollup_work", List.of(Dimension.TEAM, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE),
            List.of(Grain.QUARTER, Grain.HOUR, Grain.DAY)),
    TEAM("rollup_team", List.of(Dimension.TEAM), List.of(Grain.QUARTER, Grain.HOUR, Grain.DAY));

    final String table;
    final List<Dimension> dimensions;
    /** Finest first. */
    final List<Grain> grains;

    Cube(String table, List<Dimension> dimensions, List<Grain> grains) {
        this.table = table;
        this.dimensions = dimensions;
        this.grains = grains;
    }

    static Cube narrowestCovering(Set<Dimension> needed) {
        Cube best = FULL;
        for (Cube cube : values()) {
            if (EnumSet.copyOf(cube.dimensions).containsAll(needed)) {
                best = cube;
            }
        }
        return best;
    }
}
