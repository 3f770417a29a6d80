package dev.aiusage.graphql.fetch;

import dev.aiusage.ingest.RollupMaintenance;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

/**
 * The fetchers of {@code schema/admin.graphqls}: maintenance of the store: the rollup rebuild. Each reads its
 * arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class AdminFetchers {
    private final RollupMaintenance rollups;

    AdminFetchers(RollupMaintenance rollups) {
        this.rollups = rollups;
    }

    public RollupMaintenance.RebuildReport rebuildRollups(DataFetchingEnvironment env) {
        return rollups.rebuild();
    }
}
