package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.engine.Engine;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model cube's latency sketches by UTC hour in memory, for percentiles by provider or model (or of everything):
 * per (provider, model) and hour the encoded sketch the cube keeps ({@link LatencySketch}: a few bytes per 2%-wide
 * latency band), loaded from its hourly rows and merged with each fold's latencies, and beside them the sketches of
 * aligned blocks of 2, 4, ... {@value #MAX_BLOCK_HOURS} hours, so that a read merges a few blocks per bucket rather
 * than each of its hours (a local day off UTC midnight: 5 rather than 24; merging is decoding, and at 10M records
 * it was most of a breakdown by model per day with p95). A read merges the sketches of the whole hours in its
 * window, block by block within each bucket, and takes the latencies of the partial hours at its edges from the folded records of
 * those hours, loaded on first use and kept (least recently used hours dropped past its share of {@code
 * aiusage.store.index.cached-records}; folds add to the hours kept); the records above the watermark are the caller's.
 * Like the cube's hours, it has none before {@link RawHorizon#modelCubeFrom}.
 */
@Singleton
class LatencyIndex extends FoldedIndex {
    private static final long HOUR_MILLIS = Grain.HOUR.seconds * 1000;
    /** Blocks of hours are kept up to this many hours (levels 0, the hours, to 9). */
    static final int MAX_BLOCK_HOURS = 512;
    private static final int LEVELS = Integer.numberOfTrailingZeros(MAX_BLOCK_HOURS) + 1;

    // guarded by lock
    private final Map<List<String>, Integer> comboIds = new HashMap<>();
    private final List<List<String>> combos = new ArrayList<>();
    /**
     * Per combination, {@link #block}(level, n) → the encoded sketch of the 2^level UTC hours from epoch hour n·2^level
     * (level 0: the hour n); a block without calls has none.
     */
    private final List<Map<Long, byte[]>> blocks = new ArrayList<>();
    /** The folded records' latencies of some UTC hours (epoch hours), for the partial hours at a window's edges. */
    private final DayCache<HourRecords> edges;
    private final Engine engine;

    LatencyIndex(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader, Engine engine,
                 @Value("${aiusage.store.index.max-day-cells:1000000}") long maxCells,
                 @Value("${aiusage.store.index.cached-records:1000000}") long maxCachedRecords) {
        super("model latencies", jdbc, transactions, folder, loader, maxCells);
        this.engine = engine;
        this.edges = new DayCache<>(h -> h.size, maxCachedRecords / UsageIndexes.CACHE_SHARES);
    }

    /** Whether it keys on every dimension {@code groupBy} and {@code filter} name (provider, model). */
    boolean covers(List<Dimension> groupBy, UsageFilter filter) {
        return Cube.MODEL.dimensions.containsAll(groupBy) && Cube.MODEL.dimensions.containsAll(Where.filteredDimensions(filter));
    }

    /** Receives the sketch of some whole hours within one bucket, of one group, with the first hour's start. */
    interface HourSink {
        void accept(long hourStartMillis, List<String> group, byte[] sketch);
    }

    /** Receives one folded record's latency in a partial hour, with its group. */
    interface RecordSink {
        void accept(long epochMillis, List<String> group, int latencyMs);
    }

    /**
     * The sketches of the whole UTC hours in {@code [from, to)} of the combinations that pass {@code filter}, in blocks
     * that each lie within one bucket ({@code bucketOf} gives the bucket of an hour's start, in any form with
     * equals; the buckets are runs of hours), and the latencies of their folded records in the partial hours at its
     * edges, each with its group's values in {@code groupBy}'s order (a missing value as null); returns the watermark
     * they hold up to, or null when the index cannot answer now (loading, stepped aside). An edge hour not kept is
     * read from the records (at most an hour's).
     */
    Long latencies(Instant from, Instant to, UsageFilter filter, List<Dimension> groupBy, java.util.function.LongFunction<?> bucketOf,
                   HourSink wholeHours, RecordSink edgeRecords) {
        if (!covers(groupBy, filter)) {
            return null;
        }
        return readLocked(() -> {
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            int firstWhole = (int) Math.floorDiv(fromMs + HOUR_MILLIS - 1, HOUR_MILLIS);
            int endWhole = (int) Math.floorDiv(toMs, HOUR_MILLIS);
            int[] positions = groupBy.stream().mapToInt(Cube.MODEL.dimensions::indexOf).toArray();
            boolean unfiltered = Where.filteredDimensions(filter).isEmpty();
            // another reader loading an edge hour may add a combination meanwhile
            List<List<String>> known;
            List<Map<Long, byte[]>> stored;
            synchronized (comboIds) {
                known = List.copyOf(combos);
                stored = List.copyOf(blocks);
            }
            List<int[]> runs = runs(firstWhole, endWhole, bucketOf);
            List<List<String>> groups = new ArrayList<>(known.size());
            for (int c = 0; c < known.size(); c++) {
                QueryBudget.checkpoint();
                List<String> group = groupOf(known.get(c), positions, filter, unfiltered);
                groups.add(group);
                if (group == null) {
                    continue;
                }
                Map<Long, byte[]> sketches = stored.get(c);
                for (int[] run : runs) {
                    // the run in the largest aligned blocks that fit
                    for (int h = run[0]; h < run[1]; ) {
                        int level = Math.min(LEVELS - 1, Integer.numberOfTrailingZeros(h));
                        while (h + (1 << level) > run[1]) {
                            level--;
                        }
                        byte[] sketch = sketches.get(block(level, h >> level));
                        if (sketch != null) {
                            wholeHours.accept(h * HOUR_MILLIS, group, sketch);
                        }
                        h += 1 << level;
                    }
                }
            }
            for (long[] part : partialCells(fromMs, toMs, HOUR_MILLIS)) {
                HourRecords edge = edges.get(Math.floorDiv(part[0], HOUR_MILLIS), this::loadHour);
                edge.forEach(part[0], part[1], (at, combo, latency) -> {
                    // a combination first seen in this hour's records, after the groups were listed, passes if it matches
                    List<String> group = combo < groups.size() ? groups.get(combo) : groupOf(combo(combo), positions, filter, unfiltered);
                    if (group != null) {
                        edgeRecords.accept(at, group, latency);
                    }
                });
            }
            return watermark;
        });
    }

    /** The runs of whole hours (epoch hours, {@code [start, end)}) in {@code [firstWhole, endWhole)} that share a bucket. */
    private static List<int[]> runs(int firstWhole, int endWhole, java.util.function.LongFunction<?> bucketOf) {
        List<int[]> runs = new ArrayList<>();
        Object current = null;
        for (int h = firstWhole; h < endWhole; h++) {
            Object bucket = bucketOf.apply(h * HOUR_MILLIS);
            if (runs.isEmpty() || !java.util.Objects.equals(bucket, current)) {
                runs.add(new int[] {h, h + 1});
                current = bucket;
            } else {
                runs.get(runs.size() - 1)[1] = h + 1;
            }
        }
        return runs;
    }

    /** The key of block {@code n} of {@code level} (2^level hours from epoch hour n·2^level). */
    private static long block(int level, int n) {
        return ((long) level << 32) | (n & 0xFFFFFFFFL);
    }

    private List<String> combo(int id) {
        synchronized (comboIds) {
            return combos.get(id);
        }
    }

    /** A combination's values in {@code positions}' order (none as null), or null when it does not pass {@code filter}. */
    private static List<String> groupOf(List<String> values, int[] positions, UsageFilter filter, boolean unfiltered) {
        return unfiltered || Where.matches(filter, Cube.MODEL.dimensions, values) ? RollupWriter.groupKey(values, positions) : null;
    }

    /** The folded records' latencies of UTC hour {@code hour} (epoch hours) up to the watermark; read lock held. */
    private HourRecords loadHour(long hour) {
        String sql = "SELECT ts, provider, model, latency_ms" + Where.foldedRecords(engine)
                + " WHERE at >= ? AND at < ? AND record_id <= ? AND latency_ms IS NOT NULL";
        return transactions.executeRead(status -> jdbc.prepareStatement(sql, statement -> {
            statement.setObject(1, Where.utc(Instant.ofEpochMilli(hour * HOUR_MILLIS)));
            statement.setObject(2, Where.utc(Instant.ofEpochMilli((hour + 1) * HOUR_MILLIS)));
            statement.setLong(3, watermark);
            HourRecords records = new HourRecords();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    int id;
                    synchronized (comboIds) {
                        id = comboId(List.of(RollupWriter.none(rs.getString(2)), RollupWriter.none(rs.getString(3))));
                    }
                    records.add(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), id, rs.getInt(4));
                }
            }
            return records;
        }));
    }

    /** One hour's folded records: instant, combination and latency, in the order added. */
    private static final class HourRecords {
        private long[] ts = new long[256];
        private int[] combo = new int[256];
        private int[] latency = new int[256];
        private int size;

        interface Visitor {
            void accept(long at, int combo, int latencyMs);
        }

        synchronized void add(long at, int comboId, int latencyMs) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, size * 2);
                combo = Arrays.copyOf(combo, size * 2);
                latency = Arrays.copyOf(latency, size * 2);
            }
            ts[size] = at;
            combo[size] = comboId;
            latency[size] = latencyMs;
            size++;
        }

        synchronized void forEach(long from, long to, Visitor visitor) {
            for (int r = 0; r < size; r++) {
                if (ts[r] >= from && ts[r] < to) {
                    visitor.accept(ts[r], combo[r], latency[r]);
                }
            }
        }
    }

    /** Call with the write lock held, or the read lock and {@link #comboIds}' monitor while loading an hour. */
    private int comboId(List<String> combo) {
        Integer id = comboIds.get(combo);
        if (id == null) {
            id = combos.size();
            comboIds.put(combo, id);
            combos.add(combo);
            blocks.add(new HashMap<>());
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
        byte[] held = blocks.get(id).put(block(0, hour), sketch);
        if (held == null) {
            cells++;
        } else {
            blocks.get(id).put(block(0, hour), LatencySketch.merged(held, sketch));
        }
    }

    /** Each level's blocks merged from the two halves below it, once every hour is loaded. */
    @Override
    void loadedAll() {
        for (Map<Long, byte[]> sketches : blocks) {
            for (int level = 1; level < LEVELS; level++) {
                Map<Long, byte[]> merged = new HashMap<>();
                for (Map.Entry<Long, byte[]> below : sketches.entrySet()) {
                    if ((int) (below.getKey() >>> 32) == level - 1) {
                        merged.merge(block(level, (int) (long) below.getKey() >> 1), below.getValue(), LatencySketch::merged);
                    }
                }
                sketches.putAll(merged);
            }
        }
    }

    @Override
    void add(List<UsageRecord> records) {
        // each touched block's sketch is decoded and encoded once per fold step, not once per record
        Map<Long, LatencySketch> touched = new HashMap<>();
        for (UsageRecord r : records) {
            if (r.latencyMs() == null) {
                continue;
            }
            int id = comboId(List.of(RollupWriter.valueOf(r, Dimension.PROVIDER), RollupWriter.valueOf(r, Dimension.MODEL)));
            int hour = (int) Math.floorDiv(r.ts().toEpochMilli(), HOUR_MILLIS);
            HourRecords edge = edges.ifKept(hour);
            if (edge != null) {
                edge.add(r.ts().toEpochMilli(), id, r.latencyMs());
                edges.added(1);
            }
            for (int level = 0; level < LEVELS; level++) {
                long key = block(level, hour >> level);
                touched.computeIfAbsent(((long) id << 36) ^ key, k -> {
                    LatencySketch sketch = LatencySketch.empty();
                    byte[] held = blocks.get(id).get(key);
                    if (held != null) {
                        sketch.merge(held);
                    }
                    return sketch;
                }).add(r.latencyMs());
            }
        }
        touched.forEach((touchedKey, sketch) -> {
            int id = (int) (touchedKey >>> 36);
            long key = touchedKey ^ ((long) id << 36);
            if (blocks.get(id).put(key, sketch.encode()) == null && (int) (key >>> 32) == 0) {
                cells++;
            }
        });
    }

    @Override
    void forget() {
        comboIds.clear();
        combos.clear();
        blocks.clear();
        edges.clear();
    }

    @Override
    void drop() {
        blocks.forEach(Map::clear);
        edges.clear();
    }
}
