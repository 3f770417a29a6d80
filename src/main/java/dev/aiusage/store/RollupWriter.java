package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds records into every cube at every grain. Called inside the fold's transaction (and the rebuild's), so the
 * rollups and the folded records never disagree. The step's records are first summed in memory per rollup row,
 * then merged with one batched upsert per cube: a round trip per cube, not per record. Rows are merged in key
 * order, so concurrent batches lock shared rows in the same order and cannot deadlock.
 */
@Singleton
class RollupWriter {
    /** Rollup rows hold '' where a record has no value; names are never empty, so '' cannot collide. */
    static final String NONE = "";

    private static final String MEASURE_COLUMNS = "requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count, "
            + "quality_sum, quality_sq_sum, quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum, scored_latency_count";
    private static final String[] MEASURE_TYPES = {"BIGINT", "DECIMAL(30,10)", "DECIMAL(60,20)", "BIGINT", "BIGINT", "BIGINT",
            "DECIMAL(30,9)", "DECIMAL(40,18)", "BIGINT", "BIGINT", "BIGINT", "DECIMAL(30,10)", "BIGINT", "BIGINT"};

    private final JdbcOperations jdbc;
    private final Engine engine;

    RollupWriter(JdbcOperations jdbc, Engine engine) {
        this.jdbc = jdbc;
        this.engine = engine;
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
        for (Cube cube : Cube.values()) {
            Map<Key, Measures> rows = new TreeMap<>(KEY_ORDER);
            for (UsageRecord record : records) {
                List<String> values = cube.dimensions.stream().map(d -> valueOf(record, d)).toList();
                for (Grain grain : cube.grains) {
                    rows.computeIfAbsent(new Key(grain.code, grain.floor(record.ts()), values), k -> new Measures()).add(record);
                }
            }
            merge(cube, rows);
        }
    }

    private void merge(Cube cube, Map<Key, Measures> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.prepareStatement(mergeSql(cube), statement -> {
            for (Map.Entry<Key, Measures> row : rows.entrySet()) {
                bind(statement, row.getKey(), row.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
            return null;
        });
    }

    private static void bind(PreparedStatement s, Key key, Measures m) throws SQLException {
        int i = 1;
        s.setInt(i++, key.grain());
        s.setObject(i++, Where.utc(key.bucket()));
        for (String value : key.values()) {
            s.setString(i++, value);
        }
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
        s.setLong(i, m.scoredLatencyCount);
    }

    private String mergeSql(Cube cube) {
        List<String> keys = new ArrayList<>(List.of("grain", "bucket"));
        List<String> casts = new ArrayList<>(List.of("SMALLINT", "TIMESTAMP WITH TIME ZONE"));
        for (Dimension d : cube.dimensions) {
            keys.add(d.column);
            casts.add("VARCHAR(200)");
        }
        casts.addAll(List.of(MEASURE_TYPES));
        return engine.upsertAddingSql(cube.table, keys, List.of(MEASURE_COLUMNS.split(", ")), casts);
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
        return value == null ? NONE : value;
    }
}
