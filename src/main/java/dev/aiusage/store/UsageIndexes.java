package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.engine.Engine;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.List;

/**
 * The in-memory indexes: the work cube's (team, model, workflow, task type) and the people's (team, user,
 * provider, model) by UTC day, and the teams' and the models' by UTC hour. A read goes to the first that keys on
 * every dimension it groups or filters by and has cells as fine as it needs. Each keeps its own limits on cells
 * and views (the same settings apply to each); the partial days' records they cache, the prompt index's and the
 * latency index's partial hours' share {@code cached-records} among them.
 */
@Singleton
public class UsageIndexes {
    private static final List<UsageIndex.Shape> SHAPES = List.of(UsageIndex.Shape.WORK, UsageIndex.Shape.PEOPLE, UsageIndex.Shape.TEAM_HOURS,
            UsageIndex.Shape.MODEL_HOURS);
    /** The shares {@code cached-records} is split in: one per usage index, one for the prompt index, one for the latency index. */
    static final int CACHE_SHARES = SHAPES.size() + 2;
    private final List<UsageIndex> indexes;
    private final PromptIndex prompts;
    private final LatencyIndex latencies;

    UsageIndexes(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader, Engine engine,
                 @Value("${aiusage.store.index.max-day-cells:1000000}") long maxDayCells,
                 @Value("${aiusage.store.index.cached-records:1000000}") long maxCachedRecords,
                 @Value("${aiusage.store.index.max-view-cells:500000}") long maxViewCells, PromptIndex prompts, LatencyIndex latencies) {
        this.prompts = prompts;
        this.latencies = latencies;
        this.indexes = SHAPES.stream()
                .map(shape -> new UsageIndex(shape, jdbc, transactions, folder, loader, engine, maxDayCells, maxCachedRecords / CACHE_SHARES,
                        maxViewCells))
                .toList();
    }

    /** The first index that keys on every dimension of {@code groupBy} and {@code filter}, or null. */
    UsageIndex covering(List<Dimension> groupBy, UsageFilter filter) {
        return covering(groupBy, filter, Long.MAX_VALUE);
    }

    /** The same among the indexes whose cells are at most {@code cellMillis} long. */
    UsageIndex covering(List<Dimension> groupBy, UsageFilter filter, long cellMillis) {
        for (UsageIndex index : indexes) {
            if (index.cellMillis() <= cellMillis && index.covers(groupBy, filter)) {
                return index;
            }
        }
        return null;
    }

    /** The people's index (team, user, provider, model). */
    UsageIndex people() {
        return indexes.get(SHAPES.indexOf(UsageIndex.Shape.PEOPLE));
    }

    /** The model cube's latency sketches by hour. */
    LatencyIndex latencies() {
        return latencies;
    }

    /** Where each index stands: the usage indexes, the model cube's latencies, the prompt rollup's. */
    public List<IndexStatus> status() {
        List<IndexStatus> all = new java.util.ArrayList<>(indexes.stream().map(UsageIndex::status).toList());
        all.add(latencies.status());
        all.add(prompts.status());
        return all;
    }

    /** After a rebuild or a repricing: every index, the prompt rollup's too, loads afresh (SQL answers meanwhile). */
    void reset() {
        indexes.forEach(UsageIndex::reset);
        latencies.reset();
        prompts.reset();
    }
}
