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
 * The in-memory indexes, narrowest first: the work cube's (team, model, workflow, task type) and the people's
 * (team, user, provider, model). A read goes to the first that keys on every dimension it groups or filters by.
 * Each keeps its own limits (the same settings apply to each).
 */
@Singleton
public class UsageIndexes {
    private final List<UsageIndex> indexes;

    UsageIndexes(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, Engine engine,
                 @Value("${aiusage.store.index.max-day-cells:1000000}") long maxDayCells,
                 @Value("${aiusage.store.index.cached-records:1000000}") long maxCachedRecords,
                 @Value("${aiusage.store.index.max-view-cells:500000}") long maxViewCells) {
        this.indexes = List.of(UsageIndex.Shape.WORK, UsageIndex.Shape.PEOPLE).stream()
                .map(shape -> new UsageIndex(shape, jdbc, transactions, folder, engine, maxDayCells, maxCachedRecords, maxViewCells))
                .toList();
    }

    /** The first index that keys on every dimension of {@code groupBy} and {@code filter}, or null. */
    UsageIndex covering(List<Dimension> groupBy, UsageFilter filter) {
        for (UsageIndex index : indexes) {
            if (index.covers(groupBy, filter)) {
                return index;
            }
        }
        return null;
    }

    /** The people's index (team, user, provider, model). */
    UsageIndex people() {
        return indexes.get(1);
    }

    /** After a rebuild or a repricing: every index loads afresh when next read. */
    void reset() {
        indexes.forEach(UsageIndex::reset);
    }
}
