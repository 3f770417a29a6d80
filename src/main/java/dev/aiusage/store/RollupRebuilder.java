package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Folds what is waiting, then recomputes every rollup from the records up to the fold watermark, through the
 * same code that folds them. Runs in one transaction while no fold runs: readers see the old rollups until the
 * new ones are complete, a failure leaves the old ones, and ingest goes on meanwhile (what it stores lies above
 * the watermark, which every read adds on its own).
 */
@Singleton
public class RollupRebuilder {
    private static final int CHUNK = 5000;

    private final Engine engine;
    private final RawHorizon horizon;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final RollupWriter rollups;
    private final RollupFolder folder;
    private final UsageAggregates aggregates;
    private final UsageIndexes index;

    RollupRebuilder(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupWriter rollups,
                    RollupFolder folder, UsageAggregates aggregates, UsageIndexes index, Engine engine, RawHorizon horizon) {
        this.engine = engine;
        this.horizon = horizon;
        this.index = index;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rollups = rollups;
        this.folder = folder;
        this.aggregates = aggregates;
    }

    /** What a rebuild did: records in the rollups and the rows they make. */
    public record Result(long records, long rollupRows) {
    }

    public Result rebuild() {
        folder.foldAll();
        return folder.withoutFolds(() -> {
            Result result = folder.writeAlone(() -> {
                // no other instance's fold runs while the rollups are rewritten
                engine.beginFold();
                return recompute(folder.watermark());
            });
            index.reset();
            folder.reclaimAfterRewrite();
            return result;
        });
    }

    /**
     * Deletes the rollups and adds every folded record again. Where raw records before a retention horizon are
     * gone, the rollup rows before it (every bucket lies wholly on one side of the horizon, a UTC midnight) are
     * kept as they are, and only the records from the horizon on are added again.
     */
    private Result recompute(long upTo) {
        Instant rawFrom = horizon.current();
        for (String table : tables()) {
            deleteFrom(table, rawFrom);
        }
        long records = refold(upTo, rawFrom, rollups::add);
        long rows = 0;
        for (String table : tables()) {
            rows += count(table);
        }
        return new Result(records, rows);
    }

    /**
     * Fills the prompt rollup alone from the folded records, once, after the upgrade that added it: the cubes are
     * as they were. In one transaction while no fold runs, as a rebuild.
     */
    public Result rebuildPrompts() {
        return folder.withoutFolds(() -> {
            Result result = folder.writeAlone(() -> {
                engine.beginFold();
                Instant rawFrom = horizon.current();
                deleteFrom(PromptRollup.TABLE, rawFrom);
                long records = refold(folder.watermark(), rawFrom, rollups::addPrompts);
                return new Result(records, count(PromptRollup.TABLE));
            });
            index.reset();
            return result;
        });
    }

    private static List<String> tables() {
        List<String> tables = new ArrayList<>();
        for (Cube cube : Cube.values()) {
            tables.add(cube.table);
        }
        tables.add(PromptRollup.TABLE);
        return tables;
    }

    /** Deletes a rollup's rows from {@code from} on (all of them when null). */
    private void deleteFrom(String table, Instant from) {
        jdbc.prepareStatement("DELETE FROM " + table + (from == null ? "" : " WHERE bucket >= ?"), statement -> {
            if (from != null) {
                statement.setObject(1, Where.utc(from));
            }
            return statement.executeUpdate();
        });
    }

    private long count(String table) {
        return jdbc.prepareStatement("SELECT COUNT(*) FROM " + table, statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Hands every folded record up to {@code upTo} (from {@code rawFrom} on) to {@code sink}, in chunks by id. */
    private long refold(long upTo, Instant rawFrom, java.util.function.Consumer<List<UsageRecord>> sink) {
        long records = 0;
        long afterId = Long.MIN_VALUE;
        while (true) {
            List<UsageRecord> chunk = aggregates.byId(afterId, upTo, CHUNK);
            if (chunk.isEmpty()) {
                break;
            }
            afterId = chunk.get(chunk.size() - 1).id();
            if (rawFrom != null) {
                chunk = chunk.stream().filter(r -> !r.ts().isBefore(rawFrom)).toList();
            }
            sink.accept(chunk);
            records += chunk.size();
        }
        return records;
    }

    /** A double that equals another within a relative 10⁻⁹ (for comparing dumps; it hashes alike for all). */
    public record Approximately(double value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Approximately a
                    && Math.abs(a.value - value) <= 1e-9 * Math.max(Math.abs(a.value), Math.abs(value)) + 1e-12;
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /**
     * Every rollup row of every cube in key order, after folding all records, for checking that two sets of
     * rollups are the same.
     */
    public List<List<Object>> dump() {
        folder.foldAll();
        return transactions.executeRead(status -> {
            List<List<Object>> rows = new ArrayList<>();
            Map<String, String> orders = new java.util.LinkedHashMap<>();
            for (Cube cube : Cube.values()) {
                orders.put(cube.table, "grain, bucket, " + String.join(", ", cube.dimensions.stream().map(d -> d.column).toList()));
            }
            orders.put(PromptRollup.TABLE, String.join(", ", PromptRollup.KEYS));
            orders.forEach((table, keys) -> {
                jdbc.prepareStatement("SELECT '" + table + "', * FROM " + table + " ORDER BY " + keys, statement -> {
                    try (ResultSet rs = statement.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            List<Object> row = new ArrayList<>(columns);
                            for (int i = 1; i <= columns; i++) {
                                Object value = rs.getObject(i);
                                // sketches compare by the calls they hold, not by how they were encoded
                                // and the prompt rollup's doubles to within 10⁻⁹: sums in another order differ in the last digits
                                row.add(value instanceof java.math.BigDecimal d ? d.stripTrailingZeros()
                                        : value instanceof byte[] bytes ? LatencySketch.bins(bytes)
                                        : value instanceof Double x ? new Approximately(x) : value);
                            }
                            rows.add(row);
                        }
                    }
                    return null;
                });
            });
            return rows;
        });
    }
}
