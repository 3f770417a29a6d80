package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model cube's latency sketches by UTC hour in memory, for percentiles by provider or model (or of everything):
 * per (provider, model) and hour the encoded sketch the cube keeps ({@link LatencySketch}: a few bytes per 2%-wide
 * latency band), loaded from its hourly rows and merged with each fold's latencies. A read merges the sketches of the
 * whole hours in its window; the partial hours at its edges and the records above the watermark are the caller's.
 * Like the cube's hours, it has none before {@link RawHorizon#modelCubeFrom}.
 */
@Singleton
class LatencyIndex extends FoldedIndex {
    private static final long HOUR_MILLIS = Grain.HOUR.seconds * 1000;

    // guarded by lock
    private final Map<List<String>, Integer> comboIds = new HashMap<>();
    private final List<List<String>> combos = new ArrayList<>();
    /** Per combination, UTC hour (epoch hours) → its encoded sketch. */
    private final List<TreeMap<Integer, byte[]>> hours = new ArrayList<>();

    LatencyIndex(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader,
                 @Value("${aiusage.store.index.max-day-cells:1000000}") long maxCells) {
        super("model latencies", jdbc, transactions, folder, loader, maxCells);
    }

    /** Whether it keys on every dimension {@code groupBy} and {@code filter} name (provider, model). */
    boolean covers(List<Dimension> groupBy, UsageFilter filter) {
        return Cube.MODEL.dimensions.containsAll(groupBy) && Cube.MODEL.dimensions.containsAll(Where.filteredDimensions(filter));
    }

    /** Receives one whole hour's sketch of one group. */
    interface HourSink {
        void accept(long hourStartMillis, List<String> group, byte[] sketch);
    }

    /**
     * The sketches of the whole UTC hours in {@code [from, to)} of the combinations that pass {@code filter}, each
     * with its group's values in {@code groupBy}'s order (a missing value as null); returns the watermark they hold
     * up to, or null when the index cannot answer now (loading, stepped aside).
     */
    Long wholeHours(Instant from, Instant to, UsageFilter filter, List<Dimension> groupBy, HourSink sink) {
        if (!covers(groupBy, filter)) {
            return null;
        }
        return readLocked(() -> {
            int firstWhole = (int) Math.floorDiv(from.toEpochMilli() + HOUR_MILLIS - 1, HOUR_MILLIS);
            int endWhole = (int) Math.floorDiv(to.toEpochMilli(), HOUR_MILLIS);
            int[] positions = groupBy.stream().mapToInt(Cube.MODEL.dimensions::indexOf).toArray();
            boolean unfiltered = Where.filteredDimensions(filter).isEmpty();
            for (int c = 0; c < combos.size() && firstWhole < endWhole; c++) {
                QueryBudget.checkpoint();
                List<String> combo = combos.get(c);
                if (!unfiltered && !Where.matches(filter, Cube.MODEL.dimensions, combo)) {
                    continue;
                }
                List<String> group = new ArrayList<>(positions.length);
                for (int p : positions) {
                    group.add(RollupWriter.NONE.equals(combo.get(p)) ? null : combo.get(p));
                }
                for (Map.Entry<Integer, byte[]> hour : hours.get(c).subMap(firstWhole, endWhole).entrySet()) {
                    sink.accept(hour.getKey() * HOUR_MILLIS, group, hour.getValue());
                }
            }
            return watermark;
        });
    }

    private int comboId(List<String> combo) {
        Integer id = comboIds.get(combo);
        if (id == null) {
            id = combos.size();
            comboIds.put(combo, id);
            combos.add(combo);
            hours.add(new TreeMap<>());
        }
        return id;
    }

    @Override
    String loadSql() {
        return "SELECT bucket, provider, model, " + RollupWriter.SKETCH + " FROM " + Cube.MODEL.table + " WHERE grain = " + Grain.HOUR.code
                + " AND " + RollupWriter.SKETCH + " IS NOT NULL";
    }

    @Override
    void loadRow(ResultSet rs) throws SQLException {
        int id = comboId(List.of(rs.getString(2), rs.getString(3)));
        int hour = (int) Math.floorDiv(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), HOUR_MILLIS);
        byte[] sketch = rs.getBytes(4);
        byte[] held = hours.get(id).put(hour, sketch);
        if (held == null) {
            cells++;
        } else {
            hours.get(id).put(hour, LatencySketch.merged(held, sketch));
        }
    }

    @Override
    void add(List<UsageRecord> records) {
        // each touched hour's sketch is decoded and encoded once per fold step, not once per record
        Map<Long, LatencySketch> touched = new HashMap<>();
        for (UsageRecord r : records) {
            if (r.latencyMs() == null) {
                continue;
            }
            int id = comboId(List.of(RollupWriter.valueOf(r, Dimension.PROVIDER), RollupWriter.valueOf(r, Dimension.MODEL)));
            int hour = (int) Math.floorDiv(r.ts().toEpochMilli(), HOUR_MILLIS);
            touched.computeIfAbsent(((long) id << 32) | (hour & 0xFFFFFFFFL), k -> {
                LatencySketch sketch = LatencySketch.empty();
                byte[] held = hours.get(id).get(hour);
                if (held != null) {
                    sketch.merge(held);
                }
                return sketch;
            }).add(r.latencyMs());
        }
        touched.forEach((key, sketch) -> {
            int id = (int) (key >>> 32);
            if (hours.get(id).put((int) (long) key, sketch.encode()) == null) {
                cells++;
            }
        });
    }

    @Override
    void forget() {
        comboIds.clear();
        combos.clear();
        hours.clear();
    }

    @Override
    void drop() {
        hours.forEach(TreeMap::clear);
    }
}
