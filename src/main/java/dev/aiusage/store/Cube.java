package dev.aiusage.store;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A rollup table: the dimensions it keeps, narrowest last. A query reads the narrowest cube that has all it needs. */
enum Cube {
    FULL("rollup_full", List.of(Dimension.TEAM, Dimension.USER, Dimension.PROVIDER, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE)),
    WORK("rollup_work", List.of(Dimension.TEAM, Dimension.MODEL, Dimension.WORKFLOW, Dimension.TASK_TYPE)),
    TEAM("rollup_team", List.of(Dimension.TEAM));

    final String table;
    final List<Dimension> dimensions;

    Cube(String table, List<Dimension> dimensions) {
        this.table = table;
        this.dimensions = dimensions;
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
