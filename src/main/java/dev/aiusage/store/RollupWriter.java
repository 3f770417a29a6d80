package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds records into every cube at every grain, and into the prompt rollup ({@link PromptRollup}). Called inside the
 * fold's transaction (and the rebuild's), so the rollups and the folded records never disagree. The step's records
 * are first summed in memory per rollup row, then added with two batched statements per cube: round trips per
 * cube, not per record.
 */
@Singleton
class RollupWriter {
    /** Rollup rows hold '' where a record has no value; names are never empty, so '' cannot collide. */
    static final String NONE = "";

    private static final String MEASURE_COLUMNS = "requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count, "
            + "quality_sum, quality_sq_sum, quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum, scored_latency_count, "
            + "input_tokens_sum, output_tokens_sum, cache_read_sum, cache_write_sum, reasoning_sum, unpriced, unpriced_tokens_sum, "
            + "cost_uncached_input_sum, cost_cache_read_sum, cost_cache_write_sum, cost_output_sum, cost_reasoning_sum";

    /** The column of each row's latency sketch, merged rather than added. */
    static final String SKETCH = "latency_sketch";

    private static final org.slf4j.Logger TIMING = org.slf4j.LoggerFactory.getLogger(RollupWriter.class);
    private final JdbcOperations jdbc;
    private final Engine engine;
    private final PromptRollup prompts;

    RollupWriter(JdbcOperations jdbc, Engine engine, PromptRollup prompts) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.prompts = prompts;
    }

    /** A rollup row's key: grain, bucket and the cube's dimension values. */
    private record Key(int grain, Instant bucket, List<String> values) {
    }

    private static final Comparator<Key> KEY_ORDER = Comparator.comparingInt(Key::grain).thenComparing(Key::bucket)
            .thenComparing(Key::values, (a, b) -> {
                for (int i = 0; i < a.size(); i++) {
                    int c = a.get(i).compareTo(b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            });

    void add(List<UsageRecord> records) {
        add(records, List.of());
    }

    /**
     * Replaces folded records' figures: each record of {@code before} taken away and its new version in
     * {@code after} (same key, same calls) added, so a repriced record moves its rollup rows by the difference.
     */
    void replace(List<UsageRecord> before, List<UsageRecord> after) {
        add(List.of(), List.of(before, after));
    }

    private void add(List<UsageRecord> records, List<List<UsageRecord>> replaced) {
        for (Cube cube : Cube.values()) {
            Map<Key, Measures> rows = new TreeMap<>(KEY_ORDER);
            for (UsageRecord record : records) {
                List<String> values = cube.dimensions.stream().map(d -> valueOf(record, d)).toList();
                for (Grain grain : cube.grains) {
                    Measures m = rows.computeIfAbsent(new Key(grain.code, grain.floor(record.ts()), values), k -> new Measures());
                    if (cube.sketches) {
                        m.add(record);
                    } else {
                        m.add(record, 1);
                    }
                }
            }
            for (int side = 0; side < replaced.size(); side++) {
                for (UsageRecord record : replaced.get(side)) {
                    List<String> values = cube.dimensions.stream().map(d -> valueOf(record, d)).toList();
                    for (Grain grain : cube.grains) {
                        rows.computeIfAbsent(new Key(grain.code, grain.floor(record.ts()), values), k -> new Measures())
                                .add(record, side == 0 ? -1 : 1);
                    }
                }
            }
            long t = System.nanoTime();
            merge(cube, rows);
            if (TIMING.isDebugEnabled()) {
                TIMING.debug("{}: {} rows from {} records in {} ms", cube, rows.size(), records.size(), (System.nanoTime() - t) / 1_000_000);
            }
        }
        prompts.add(records, replaced);
    }

    /** Adds records to the prompt rollup alone: its one-time fill after the upgrade that added it. */
    void addPrompts(List<UsageRecord> records) {
        prompts.add(records, List.of());
    }

    /**
     * Adds each row's measures to the stored row with its key, or inserts it: a batch of UPDATEs by primary key,
     * then one of INSERTs for the keys no UPDATE found. Folds and rebuilds are the only writers of the rollups and
     * run one at a time ({@link RollupFolder#withoutFolds}), so no other writer can insert a key in between. Plain
     * UPDATE and INSERT, not MERGE: H2 took about 100 µs a row for a batched MERGE, and both statements are the
     * same on PostgreSQL.
     */
    private void merge(Cube cube, Map<Key, Measures> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(List.of("grain", "bucket"));
        cube.dimensions.forEach(d -> keys.add(d.column));
        List<String> measures = List.of(MEASURE_COLUMNS.split(", "));
        if (engine.bulkLoads()) {
            List<Object[]> values = new ArrayList<>(rows.size());
            rows.forEach((key, m) -> {
                List<Object> row = new ArrayList<>(keys.size() + measures.size() + 1);
                row.add(key.grain());
                row.add(key.bucket());
                row.addAll(key.values());
                row.addAll(List.of(m.requests, m.cost, m.costSquares, m.tokens, m.latencySum, m.latencyCount, m.qualitySum,
                        m.qualitySquares, m.qualityCount, m.passed, m.verdicts, m.scoredCost, m.scoredLatencySum, m.scoredLatencyCount,
                        m.inputTokens, m.outputTokens, m.cacheRead, m.cacheWrite, m.reasoning, m.unpriced, m.unpricedTokens));
                row.addAll(List.of(m.costByKind));
                row.add(m.latency == null ? null : m.latency.encode());
                values.add(row.toArray());
            });
            engine.addToRows(cube.table, keys, measures, SKETCH, values, LatencySketch::merged);
            return;
        }
        List<Map.Entry<Key, Measures>> entries = new ArrayList<>(rows.entrySet());
        byte[][] sketches = mergedSketches(cube, keys, entries);
        String update = "UPDATE " + cube.table + " SET " + String.join(", ", measures.stream().map(m -> m + " = " + m + " + ?").toList())
                + ", " + SKETCH + " = COALESCE(?, " + SKETCH + ") WHERE " + String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
        int[] updated = jdbc.prepareStatement(update, statement -> {
            for (int r = 0; r < entries.size(); r++) {
                bindMeasures(statement, 1, entries.get(r).getValue());
                statement.setBytes(measures.size() + 1, sketches[r]);
                bindKey(statement, measures.size() + 2, entries.get(r).getKey());
                statement.addBatch();
            }
            return statement.executeBatch();
        });
        String insert = "INSERT INTO " + cube.table + " (" + String.join(", ", keys) + ", " + String.join(", ", measures) + ", " + SKETCH
                + ") VALUES (" + String.join(", ", java.util.Collections.nCopies(keys.size() + measures.size() + 1, "?")) + ")";
        jdbc.prepareStatement(insert, statement -> {
            boolean any = false;
            for (int r = 0; r < entries.size(); r++) {
                if (updated[r] == 0) {
                    bindMeasures(statement, bindKey(statement, 1, entries.get(r).getKey()), entries.get(r).getValue());
                    statement.setBytes(keys.size() + measures.size() + 1, sketches[r]);
                    statement.addBatch();
                    any = true;
                }
            }
            if (any) {
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Each row's latency sketch merged with the stored row's (null for rows without latencies): one look-up by
     * primary key per such row, in the fold's transaction; H2 is in the process, so a look-up costs no round trip.
     */
    private byte[][] mergedSketches(Cube cube, List<String> keys, List<Map.Entry<Key, Measures>> entries) {
        byte[][] sketches = new byte[entries.size()][];
        String select = "SELECT " + SKETCH + " FROM " + cube.table + " WHERE " + String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
        jdbc.prepareStatement(select, statement -> {
            for (int r = 0; r < entries.size(); r++) {
                LatencySketch own = entries.get(r).getValue().latency;
                if (own == null) {
                    continue;
                }
                bindKey(statement, 1, entries.get(r).getKey());
                byte[] stored = null;
                try (java.sql.ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        stored = rs.getBytes(1);
                    }
                }
                if (stored != null) {
                    own.merge(stored);
                }
                sketches[r] = own.encode();
            }
            return null;
        });
        return sketches;
    }

    /** Binds grain, bucket and dimension values from {@code first}; returns the next free index. */
    private static int bindKey(PreparedStatement s, int first, Key key) throws SQLException {
        int i = first;
        s.setInt(i++, key.grain());
        s.setObject(i++, Where.utc(key.bucket()));
        for (String value : key.values()) {
            s.setString(i++, value);
        }
        return i;
    }

    /** Binds the measures in {@link #MEASURE_COLUMNS} order from {@code first}. */
    private static void bindMeasures(PreparedStatement s, int first, Measures m) throws SQLException {
        int i = first;
        s.setLong(i++, m.requests);
        s.setBigDecimal(i++, m.cost);
        s.setBigDecimal(i++, m.costSquares);
        s.setLong(i++, m.tokens);
        s.setLong(i++, m.latencySum);
        s.setLong(i++, m.latencyCount);
        s.setBigDecimal(i++, m.qualitySum);
        s.setBigDecimal(i++, m.qualitySquares);
        s.setLong(i++, m.qualityCount);
        s.setLong(i++, m.passed);
        s.setLong(i++, m.verdicts);
        s.setBigDecimal(i++, m.scoredCost);
        s.setLong(i++, m.scoredLatencySum);
        s.setLong(i++, m.scoredLatencyCount);
        s.setLong(i++, m.inputTokens);
        s.setLong(i++, m.outputTokens);
        s.setLong(i++, m.cacheRead);
        s.setLong(i++, m.cacheWrite);
        s.setLong(i++, m.reasoning);
        s.setLong(i++, m.unpriced);
        s.setLong(i++, m.unpricedTokens);
        for (BigDecimal part : m.costByKind) {
            s.setBigDecimal(i++, part);
        }
    }

    /** A value as rollup rows hold it: {@link #NONE} for none. */
    static String none(String value) {
        return value == null ? NONE : value;
    }

    /** A combination's key in a grouping on {@code positions}: its values there, none as null. */
    static List<String> groupKey(List<String> combo, int[] positions) {
        List<String> key = new ArrayList<>(positions.length);
        for (int p : positions) {
            String value = combo.get(p);
            key.add(NONE.equals(value) ? null : value);
        }
        return key;
    }

    static String valueOf(UsageRecord r, Dimension d) {
        String value = switch (d) {
            case TEAM -> r.team();
            case USER -> r.user();
            case PROVIDER -> r.provider();
            case MODEL -> r.model();
            case WORKFLOW -> r.workflow();
            case TASK_TYPE -> r.taskType();
        };
        return none(value);
    }
}
