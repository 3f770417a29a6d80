package dev.aiusage.store;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every read of usage: grouped sums, day buckets and keyset pages. Sums come from the rollup cubes for the
 * whole buckets of a window and from the raw records only for its edges (see {@link WindowPlan}), in one
 * statement whose cost grows with the groups and buckets read, not with the records in the window. The SQL is
 * built here (filters are dynamic), runs in the database, and stays portable between H2 and PostgreSQL.
 */
@Singleton
public class UsageAggregates {
    static final String RECORD_COLUMNS = "id, ts, provider, model, team, user_name, task_type, workflow, "
            + "input_tokens, output_tokens, cost_usd, latency_ms, quality_score, passed_quality, request_id, session_id, "
            + "prompt_template, prompt_version, prompt_chars, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, "
            + "reasoning_tokens, service_tier, cost_source, catalog_cost_usd, price_ref, cost_uncached_input_usd, cost_cache_read_usd, "
            + "cost_cache_write_usd, cost_output_usd, cost_reasoning_usd";

    /** The measures every part of a plan yields, as rollup columns and as their per-record equivalent. */
    private static final List<String> MEASURES = List.of("requests", "cost_sum", "tokens_sum", "latency_sum", "latency_count",
            "quality_sum", "quality_count", "passed", "verdicts", "scored_cost_sum", "scored_latency_sum", "scored_latency_count",
            "input_tokens_sum", "output_tokens_sum", "cache_read_sum", "cache_write_sum", "reasoning_sum", "unpriced", "unpriced_tokens_sum",
            "quality_sq_sum", "cost_sq_sum");
    /** The sums of squares, last of {@link #MEASURES}: summed only for {@link #groupStats}. */
    private static final int SQUARES = 2;
    /** The cost by kind, summed only when asked for: five more decimal sums would slow every breakdown. */
    private static final List<String> PART_MEASURES = List.of("cost_uncached_input_sum", "cost_cache_read_sum", "cost_cache_write_sum",
            "cost_output_sum", "cost_reasoning_sum");
    private static final List<String> RAW_PART_MEASURES = List.of("COALESCE(cost_uncached_input_usd, 0)", "COALESCE(cost_cache_read_usd, 0)",
            "COALESCE(cost_cache_write_usd, 0)", "COALESCE(cost_output_usd, 0)", "COALESCE(cost_reasoning_usd, 0)");
    private static final List<String> RAW_MEASURES = List.of(
            "CAST(1 AS BIGINT)",
            "cost_usd",
            "CAST(COALESCE(input_tokens, 0) AS BIGINT) + COALESCE(output_tokens, 0)",
            "CAST(COALESCE(latency_ms, 0) AS BIGINT)",
            "CAST(CASE WHEN latency_ms IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "COALESCE(quality_score, 0)",
            "CAST(CASE WHEN quality_score IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "CAST(CASE WHEN passed_quality THEN 1 ELSE 0 END AS BIGINT)",
            "CAST(CASE WHEN passed_quality IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "CASE WHEN quality_score IS NULL THEN 0 ELSE cost_usd END",
            "CAST(CASE WHEN quality_score IS NULL OR latency_ms IS NULL THEN 0 ELSE latency_ms END AS BIGINT)",
            "CAST(CASE WHEN quality_score IS NULL OR latency_ms IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "CAST(COALESCE(input_tokens, 0) AS BIGINT)",
            "CAST(COALESCE(output_tokens, 0) AS BIGINT)",
            "CAST(COALESCE(cache_read_tokens, 0) AS BIGINT)",
            "CAST(COALESCE(cache_write_tokens, 0) AS BIGINT)",
            "CAST(COALESCE(reasoning_tokens, 0) AS BIGINT)",
            "CAST(CASE WHEN cost_source = " + UsageRecord.UNPRICED + " THEN 1 ELSE 0 END AS BIGINT)",
            "CAST(CASE WHEN cost_source = " + UsageRecord.UNPRICED + " THEN COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) ELSE 0 END AS BIGINT)",
            "COALESCE(quality_score * quality_score, 0)",
            "cost_usd * cost_usd");

    private final JdbcOperations jdbc;
    private final Engine engine;
    private final UsageIndexes indexes;
    private final RollupFolder folder;
    private final RawHorizon horizon;

    public UsageAggregates(JdbcOperations jdbc, Engine engine, UsageIndexes indexes, RollupFolder folder, RawHorizon horizon) {
        this.horizon = horizon;
        this.jdbc = jdbc;
        this.engine = engine;
        this.indexes = indexes;
        this.folder = folder;
    }

    /**
     * Sums and counts per combination of {@code groupBy} values in the window: from the in-memory index plus the
     * records above its watermark when the work cube covers the question, else from the rollups in SQL.
     */
    @ReadOnly
    public List<GroupStats> groupStats(TimeWindow window, UsageFilter filter, List<Dimension> groupBy) {
        // the index answers whole UTC days from memory and reads the partial days' records; where those are past
        // the retention horizon, the cubes in SQL may still answer from finer buckets
        UsageIndex.Answer memory = fromMemory(window, filter, groupBy);
        if (memory != null) {
            List<GroupStats> stats = new ArrayList<>();
            withRecordsAbove(memory, window, filter, groupBy).forEach((key, m) -> stats.add(UsageIndex.stats(key, m)));
            return stats;
        }
        return folder.consistently(() -> rollupStats(window, filter, groupBy));
    }

    /**
     * The sums up to an index's watermark from the first in-memory index that keys on what is grouped and filtered,
     * or null when none does, one stepped aside, or the window's partial days are past the retention horizon.
     */
    private UsageIndex.Answer fromMemory(TimeWindow window, UsageFilter filter, List<Dimension> groupBy) {
        UsageIndex index = indexes.covering(groupBy, filter);
        return index != null && rawKept(window, WindowPlan.of(window.from(), window.to(), List.of(Grain.DAY), Grain.DAY))
                ? index.sum(window.from(), window.to(), filter, groupBy) : null;
    }

    /**
     * The same per cell of an index whose cells make up {@code bucketing}'s buckets: UTC days from any index, hours
     * and days of a zone whole hours off UTC throughout the window from the indexes by hour; null when none can.
     */
    private UsageIndex.Cells cellsFromMemory(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing) {
        UsageIndex index;
        if (bucketing.days() && isUtc(bucketing.zone())) {
            index = indexes.covering(groupBy, filter);
        } else if (byUtcHours(bucketing, window)) {
            index = indexes.covering(groupBy, filter, Grain.HOUR.seconds * 1000);
            if (index != null && index.fromModelCube() && beforeModelHours(window)) {
                return null;
            }
        } else {
            return null;
        }
        return index != null && rawKept(window, WindowPlan.of(window.from(), window.to(), List.of(Grain.DAY), Grain.DAY))
                ? index.sumByCell(window.from(), window.to(), filter, groupBy) : null;
    }

    /** Whether {@code bucketing}'s buckets are made of whole UTC hours in {@code window}: hours or days of a zone whole hours off UTC. */
    private static boolean byUtcHours(Bucketing bucketing, TimeWindow window) {
        return bucketing.seconds() >= Grain.HOUR.seconds && wholeHoursOff(bucketing.zone(), window);
    }

    /** Whether {@code window} starts before the model cube has hours (an install upgraded to them keeps none before). */
    private boolean beforeModelHours(TimeWindow window) {
        Instant modelFrom = horizon.modelCubeFrom();
        return modelFrom != null && window.from().isBefore(modelFrom);
    }

    private static boolean isUtc(ZoneId zone) {
        return zone.getRules().isFixedOffset() && zone.getRules().getOffset(Instant.EPOCH).getTotalSeconds() == 0;
    }

    /** Whether the zone's offset is a whole number of hours everywhere in the window, so its hours are UTC hours. */
    private static boolean wholeHoursOff(ZoneId zone, TimeWindow window) {
        java.time.zone.ZoneRules rules = zone.getRules();
        if (rules.getOffset(window.from()).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        for (java.time.zone.ZoneOffsetTransition t = rules.nextTransition(window.from()); t != null && t.getInstant().isBefore(window.to());
             t = rules.nextTransition(t.getInstant())) {
            if (t.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * An index's cells as breakdown cells: each cell in the bucket that holds its start (an hour is its own bucket,
     * a zone's day sums its hours), at most {@code maxCells} + 1 of them.
     */
    private static List<UsageCell> bucketed(Map<List<String>, Map<Long, long[]>> groups, long cellMillis, Bucketing bucketing, int maxCells) {
        List<UsageCell> cells = new ArrayList<>();
        if (!bucketing.days() && bucketing.seconds() * 1000 == cellMillis) {
            // each cell is its own bucket
            for (Map.Entry<List<String>, Map<Long, long[]>> group : groups.entrySet()) {
                for (Map.Entry<Long, long[]> cell : group.getValue().entrySet()) {
                    if (cells.size() > maxCells) {
                        return cells;
                    }
                    QueryBudget.checkpoint();
                    cells.add(UsageIndex.cell(Instant.ofEpochMilli(cell.getKey() * cellMillis), group.getKey(), cell.getValue()));
                }
            }
            return cells;
        }
        java.util.function.LongFunction<Instant> bucketOf = bucketsByHour(bucketing);
        for (Map.Entry<List<String>, Map<Long, long[]>> group : groups.entrySet()) {
            Map<Instant, long[]> buckets = new java.util.TreeMap<>();
            for (Map.Entry<Long, long[]> cell : group.getValue().entrySet()) {
                QueryBudget.checkpoint();
                Instant bucket = bucketOf.apply(cell.getKey() * cellMillis);
                UsageIndex.addInto(buckets.computeIfAbsent(bucket, b -> new long[UsageIndex.N]), cell.getValue(), 0);
            }
            for (Map.Entry<Instant, long[]> bucket : buckets.entrySet()) {
                if (cells.size() > maxCells) {
                    return cells;
                }
                cells.add(UsageIndex.cell(bucket.getKey(), group.getKey(), bucket.getValue()));
            }
        }
        return cells;
    }

    private List<GroupStats> rollupStats(TimeWindow window, UsageFilter filter, List<Dimension> groupBy) {
        return folder.atWatermark(watermark -> rollupStats(window, filter, groupBy, watermark));
    }

    private List<GroupStats> rollupStats(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, long watermark) {
        return cells(window, filter, groupBy, null, Integer.MAX_VALUE, watermark, false, true).stream().map(UsageCell::stats).toList();
    }

    /**
     * Sums per combination of {@code groupBy} values and per calendar bucket of {@code bucketing} (or over the
     * whole window when it is null), with input and output tokens apart: unbucketed questions within the work
     * cube from the in-memory index, the rest from the rollups in SQL: O(rollup rows
     * and edge records read), never O(records in the window) where the cube keeps buckets as fine as asked (the
     * team and model cubes keep 15 minutes; the wider ones days only, so finer buckets by their dimensions, or
     * days of a zone off UTC midnights, read the records). Reads at most {@code maxCells} + 1 cells, so a caller
     * can tell that more exist without holding them all.
     */
    @ReadOnly
    public List<UsageCell> breakdown(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, int maxCells) {
        return breakdown(window, filter, groupBy, bucketing, maxCells, false);
    }

    /**
     * The same, with the cost by kind in every cell when {@code costByKind} (the in-memory index does not keep it, so
     * the rollups answer in SQL); without it, cells answered from memory hold null there.
     */
    @ReadOnly
    public List<UsageCell> breakdown(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, int maxCells,
                                     boolean costByKind) {
        // not bucketed and within the work cube: the in-memory index, as groupStats
        UsageIndex.Answer memory = !costByKind && bucketing == null ? fromMemory(window, filter, groupBy) : null;
        UsageIndex.Cells byCell = !costByKind && bucketing != null ? cellsFromMemory(window, filter, groupBy, bucketing) : null;
        if (byCell != null) {
            return bucketed(withRecordsAbove(byCell, window, filter, groupBy), byCell.cellMillis(), bucketing, maxCells);
        }
        if (memory != null) {
            List<UsageCell> cells = new ArrayList<>();
            for (Map.Entry<List<String>, long[]> group : withRecordsAbove(memory, window, filter, groupBy).entrySet()) {
                if (cells.size() > maxCells) {
                    break;
                }
                cells.add(UsageIndex.cell(null, group.getKey(), group.getValue()));
            }
            return cells;
        }
        return folder.consistently(() -> folder.atWatermark(watermark -> cells(window, filter, groupBy, bucketing, maxCells, watermark,
                costByKind, false)));
    }

    /**
     * The breakdown's cells in SQL; the sums of squares (for the substitution statistics' variances, through {@link
     * #groupStats}) only when {@code squares}, else read as 0, and the cost by kind only when {@code costByKind}.
     */
    private List<UsageCell> cells(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, int maxCells,
                                  long watermark, boolean costByKind, boolean squares) {
        int summed = squares ? MEASURES.size() : MEASURES.size() - SQUARES;
        List<String> measures = java.util.stream.Stream.concat(MEASURES.subList(0, summed).stream(),
                costByKind ? PART_MEASURES.stream() : java.util.stream.Stream.empty()).toList();
        List<String> raw = java.util.stream.Stream.concat(RAW_MEASURES.subList(0, summed).stream(),
                costByKind ? RAW_PART_MEASURES.stream() : java.util.stream.Stream.empty()).toList();
        List<String> selected = new ArrayList<>(measures.stream().map(m -> "SUM(" + m + ")").toList());
        if (!squares) {
            selected.addAll(summed, java.util.Collections.nCopies(SQUARES, "0"));
        }
        List<String> dims = groupBy.stream().map(d -> d.column).toList();
        List<String> keys = new ArrayList<>(dims);
        if (bucketing != null) {
            keys.addAll(List.of("slot", "slot_offset"));
        }
        String keyList = keys.isEmpty() ? "" : String.join(", ", keys) + ", ";
        List<Object> params = new ArrayList<>();
        String union = breakdownParts(window, filter, groupBy, bucketing, watermark, params, String.join(", ", measures), rawMeasures(measures, raw),
                false);
        String sql = "SELECT " + keyList + String.join(", ", selected)
                + " FROM (" + union + ") parts" + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        return jdbc.prepareStatement(sql, statement -> {
            bind(statement, params);
            return QueryBudget.query(engine, statement, rs -> {
                List<UsageCell> cells = new ArrayList<>();
                int n = dims.size();
                while (rs.next() && cells.size() <= maxCells) {
                    QueryBudget.checkpoint();
                    List<String> values = groupValues(rs, n);
                    Instant bucket = bucketOf(rs, n, bucketing);
                    int m = keys.size() + 1;
                    GroupStats stats = new GroupStats(values, rs.getLong(m), decimal(rs, m + 1), rs.getLong(m + 2),
                            rs.getLong(m + 3), rs.getLong(m + 4), decimal(rs, m + 5), rs.getLong(m + 6),
                            rs.getLong(m + 7), rs.getLong(m + 8), decimal(rs, m + 9), rs.getLong(m + 10), rs.getLong(m + 11),
                            rs.getLong(m + 17), decimal(rs, m + 19), decimal(rs, m + 20));
                    BigDecimal[] byKind = costByKind ? new BigDecimal[PART_MEASURES.size()] : null;
                    for (int k = 0; byKind != null && k < byKind.length; k++) {
                        byKind[k] = decimal(rs, m + MEASURES.size() + k);
                    }
                    cells.add(new UsageCell(bucket, stats, rs.getLong(m + 12), rs.getLong(m + 13), rs.getLong(m + 14), rs.getLong(m + 15),
                            rs.getLong(m + 16), rs.getLong(m + 17), rs.getLong(m + 18), byKind));
                }
                return cells;
            });
        });
    }

    /** Most provider × model × UTC day cells {@link #modelDays} reads. */
    static final int MAX_MODEL_DAYS = 200_000;

    /**
     * The window's sums by provider, model and UTC day, from the rollups (unpriced calls and tokens among them), for
     * answers that need the days per model; refuses a window with more than {@link #MAX_MODEL_DAYS} such cells rather
     * than answer from part of it.
     */
    @ReadOnly
    public List<UsageCell> modelDays(TimeWindow window, UsageFilter filter) {
        List<UsageCell> cells = breakdown(window, filter, List.of(Dimension.PROVIDER, Dimension.MODEL),
                new Bucketing(ZoneOffset.UTC, 86_400), MAX_MODEL_DAYS);
        if (cells.size() > MAX_MODEL_DAYS) {
            throw new dev.aiusage.domain.BadInputException("from", "the window holds more than " + MAX_MODEL_DAYS
                    + " model-days of usage; ask for a shorter window");
        }
        return cells;
    }

    /** Where a breakdown's latencies go: the sketch of some of a cell's calls, or a raw record's latency, with its cell. */
    public interface LatencySink {
        void accept(Instant bucket, List<String> values, LatencySketch sketch, Integer latencyMs);
    }

    /**
     * The latencies behind {@link #breakdown}'s cells, row by row, for percentiles: each rollup row's sketch (none
     * for rows without latencies) and each edge record's latency, over the same parts as the sums. Costs the
     * rollup rows read, like the sums, plus their transfer; run only when percentiles are asked for.
     */
    @ReadOnly
    public void latencies(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, LatencySink sink) {
        if (latenciesFromMemory(window, filter, groupBy, bucketing, sink)) {
            return;
        }
        folder.consistently(() -> folder.atWatermark(watermark -> {
            streamLatencies(window, filter, groupBy, bucketing, sink, watermark);
            return null;
        }));
    }

    /** A bucket's sketch of one group, merged from hours and records before it is handed on. */
    private record SketchKey(Instant bucket, List<String> values) {
    }

    /**
     * The same from the in-memory sketches by model and UTC hour, when they key on what is grouped and filtered
     * and their hours make up the buckets (UTC days, or hours and days of a zone whole hours off UTC throughout the
     * window, or no buckets), for windows within the model cube's hours and the raw records' retention: each
     * bucket's whole hours merged from memory, plus the folded records of the partial hours (the index keeps their
     * latencies) and every record of the window above the index's watermark (by the primary key), one sketch per
     * bucket and group handed on. False when it cannot (the SQL answers).
     */
    private boolean latenciesFromMemory(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, LatencySink sink) {
        LatencyIndex index = indexes.latencies();
        if (!index.covers(groupBy, filter)) {
            return false;
        }
        // UTC days are whole UTC hours too
        if (bucketing != null && !byUtcHours(bucketing, window) || beforeModelHours(window)
                || !rawKept(window, WindowPlan.of(window.from(), window.to(), List.of(Grain.HOUR), Grain.HOUR))) {
            return false;
        }
        Map<SketchKey, LatencySketch> merged = new java.util.HashMap<>();
        // each UTC hour's bucket, worked out once (a local day's start takes the zone's rules)
        java.util.function.LongFunction<Instant> bucketOf = bucketsByHour(bucketing);
        Long watermark = index.latencies(window.from(), window.to(), filter, groupBy, bucketOf,
                (hour, group, sketch) -> merged.computeIfAbsent(new SketchKey(bucketOf.apply(hour), group), k -> LatencySketch.empty()).merge(sketch),
                (at, group, latency) -> merged.computeIfAbsent(new SketchKey(bucketOf.apply(at), group), k -> LatencySketch.empty()).add(latency));
        if (watermark == null) {
            return false;
        }
        recordsAbove(watermark, window, filter, groupBy, (values, at, m) -> {
            // a record's latency sum and count: its latency, or none
            if (m[4] > 0) {
                merged.computeIfAbsent(new SketchKey(bucketOf.apply(at), values), k -> LatencySketch.empty()).add(m[3]);
            }
        });
        merged.forEach((key, sketch) -> sink.accept(key.bucket(), key.values(), sketch, null));
        return true;
    }

    /**
     * The bucket of {@code bucketing} holding an instant (epoch ms), for zones whose hours are UTC hours, worked out
     * once per UTC hour (a local day's start takes the zone's rules); null buckets when not bucketed.
     */
    private static java.util.function.LongFunction<Instant> bucketsByHour(Bucketing bucketing) {
        if (bucketing == null) {
            return at -> null;
        }
        Map<Long, Instant> bucketOfHour = new java.util.HashMap<>();
        long hourMillis = Grain.HOUR.seconds * 1000;
        return at -> bucketOfHour.computeIfAbsent(Math.floorDiv(at, hourMillis), hour -> bucketOfInstant(hour * hourMillis, bucketing));
    }

    /**
     * The bucket of {@code bucketing} holding the instant {@code epochMillis} (null when not bucketed), for zones whose
     * hours are UTC hours: its hour, or its local day's start.
     */
    private static Instant bucketOfInstant(long epochMillis, Bucketing bucketing) {
        if (bucketing == null) {
            return null;
        }
        Instant at = Instant.ofEpochMilli(epochMillis);
        if (bucketing.days()) {
            return at.atZone(bucketing.zone()).toLocalDate().atStartOfDay(bucketing.zone()).toInstant();
        }
        return Instant.ofEpochMilli(Math.floorDiv(epochMillis, bucketing.seconds() * 1000) * bucketing.seconds() * 1000);
    }

    private void streamLatencies(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, LatencySink sink,
                                 long watermark) {
        int n = groupBy.size();
        List<Object> params = new ArrayList<>();
        String sql = breakdownParts(window, filter, groupBy, bucketing, watermark, params,
                RollupWriter.SKETCH + ", CAST(NULL AS INTEGER) AS latency_ms", "CAST(NULL AS BYTEA) AS " + RollupWriter.SKETCH + ", latency_ms",
                true);
        jdbc.prepareStatement(sql, statement -> {
            bind(statement, params);
            return QueryBudget.query(engine, statement, rs -> {
                int first = n + (bucketing == null ? 1 : 3);
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    byte[] sketch = rs.getBytes(first);
                    Integer latency = rs.getObject(first + 1, Integer.class);
                    if (sketch == null && latency == null) {
                        continue;
                    }
                    List<String> values = groupValues(rs, n);
                    sink.accept(bucketOf(rs, n, bucketing), values, sketch == null ? null : LatencySketch.decode(sketch), latency);
                }
                return null;
            });
        });
    }

    /**
     * The breakdown's parts (whole buckets of the narrowest cube, the edges' folded records, the records above the
     * watermark) joined by UNION ALL, each selecting the group's values, the slot columns (when bucketed), then
     * {@code rollupTail} or {@code rawTail}; parameters go to {@code params}.
     */
    private String breakdownParts(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, Bucketing bucketing, long watermark,
                                  List<Object> params, String rollupTail, String rawTail, boolean sketches) {
        Cube cube = cubeFor(groupBy, filter, window, sketches);
        Grain coarsest = bucketing == null ? Grain.DAY : finer(Grain.of(bucketing.seconds()), coarsestAligned(window, bucketing.zone().getRules()));
        WindowPlan plan = WindowPlan.of(window.from(), window.to(), cube.grains, coarsest);
        requireRaw(window, plan);
        List<String> dims = groupBy.stream().map(d -> d.column).toList();
        return union(window, plan, cube, filter, params, watermark,
                () -> dims.stream().map(c -> c + ", ").collect(Collectors.joining()) + slotColumns("bucket", window, bucketing, params) + rollupTail,
                () -> dims.stream().map(c -> "COALESCE(" + c + ", '') AS " + c + ", ").collect(Collectors.joining())
                        + slotColumns("ts", window, bucketing, params) + rawTail);
    }

    /** A row's first {@code n} columns, the group's values: '' (a record without the value) read as null. */
    private static List<String> groupValues(ResultSet rs, int n) throws SQLException {
        List<String> values = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String value = rs.getString(i);
            values.add(RollupWriter.NONE.equals(value) ? null : value);
        }
        return values;
    }

    /** The bucket a breakdown row's slot columns (after {@code n} dimension columns) place it in, or null. */
    private static Instant bucketOf(ResultSet rs, int n, Bucketing bucketing) throws SQLException {
        if (bucketing == null) {
            return null;
        }
        long slot = rs.getLong(n + 1);
        return bucketing.days() ? LocalDate.ofEpochDay(slot).atStartOfDay(bucketing.zone()).toInstant()
                : Instant.ofEpochSecond(slot * bucketing.seconds() - rs.getLong(n + 2));
    }

    /**
     * The select-list columns that place a row in its bucket, each followed by a comma: for days the local day
     * number, FLOOR((epoch seconds + offset) / 86400); for finer buckets the local slot and the offset, so the
     * two hours a clock goes through twice when daylight saving ends stay apart. Nothing when not bucketed.
     */
    private static String slotColumns(String column, TimeWindow window, Bucketing bucketing, List<Object> params) {
        if (bucketing == null) {
            return "";
        }
        String slot = "FLOOR((EXTRACT(EPOCH FROM " + column + ") + " + offset(column, window, bucketing.zone(), params) + ") / "
                + bucketing.seconds() + ") AS slot, ";
        return slot + (bucketing.days() ? "0" : offset(column, window, bucketing.zone(), params)) + " AS slot_offset, ";
    }

    private static Grain finer(Grain a, Grain b) {
        return a == null || b == null ? null : (a.ordinal() <= b.ordinal() ? a : b);
    }

    /** The index's sums plus those of the records above its watermark, read by the primary key. */
    private Map<List<String>, long[]> withRecordsAbove(UsageIndex.Answer memory, TimeWindow window, UsageFilter filter, List<Dimension> groupBy) {
        Map<List<String>, long[]> groups = memory.groups();
        recordsAbove(memory.watermark(), window, filter, groupBy,
                (key, at, m) -> UsageIndex.addInto(groups.computeIfAbsent(key, k -> new long[UsageIndex.N]), m, 0));
        return groups;
    }

    /** The index's sums by cell plus those of the records above its watermark. */
    private Map<List<String>, Map<Long, long[]>> withRecordsAbove(UsageIndex.Cells memory, TimeWindow window, UsageFilter filter,
                                                                  List<Dimension> groupBy) {
        Map<List<String>, Map<Long, long[]>> groups = memory.groups();
        recordsAbove(memory.watermark(), window, filter, groupBy, (key, at, m) -> UsageIndex.addInto(
                groups.computeIfAbsent(key, k -> new java.util.HashMap<>()).computeIfAbsent(Math.floorDiv(at, memory.cellMillis()),
                        d -> new long[UsageIndex.N]), m, 0));
        return groups;
    }

    private interface RecordSink {
        void accept(List<String> key, long epochMillis, long[] measures);
    }

    /** The records above {@code watermark} in the window that pass the filter, read by the primary key: their group, instant and measures. */
    private void recordsAbove(long watermark, TimeWindow window, UsageFilter filter, List<Dimension> groupBy, RecordSink sink) {
        List<String> dims = groupBy.stream().map(d -> d.column).toList();
        Where where = Where.unfolded(window.from(), window.to(), filter, watermark);
        String select = dims.isEmpty() ? "" : String.join(", ", dims) + ", ";
        String sql = "SELECT " + select + "ts, " + UsageIndex.MEASURE_COLUMNS + " FROM usage_record" + where.sql();
        jdbc.prepareStatement(sql, statement -> {
            where.bind(statement, 1);
            return QueryBudget.query(engine, statement, rs -> {
                int n = dims.size();
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    List<String> key = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        key.add(rs.getString(i));
                    }
                    sink.accept(key, rs.getObject(n + 1, OffsetDateTime.class).toInstant().toEpochMilli(), UsageIndex.measures(rs, n + 2));
                }
                return null;
            });
        });
    }

    /**
     * Cost, calls and active teams per calendar day of {@code zone}, only for days that have records. A record's
     * local day is the whole days since the epoch of its instant shifted by the zone's offset; the offset is a
     * CASE over the zone's transitions inside the window, so daylight-saving days come out right without
     * touching the session's time zone. Buckets are no coarser than the zone's offsets allow, so none straddles
     * a local midnight and a bucket's start tells its day.
     */
    @ReadOnly
    public List<DayStats> dailyStats(TimeWindow window, UsageFilter filter, ZoneId zone) {
        // from an in-memory index by team when one has cells that make up the zone's days
        Bucketing days = new Bucketing(zone, 86_400);
        UsageIndex.Cells memory = cellsFromMemory(window, filter, List.of(Dimension.TEAM), days);
        if (memory != null) {
            Map<Instant, DayStats> byDay = new java.util.TreeMap<>();
            for (UsageCell cell : bucketed(withRecordsAbove(memory, window, filter, List.of(Dimension.TEAM)), memory.cellMillis(), days,
                    Integer.MAX_VALUE)) {
                DayStats sum = byDay.get(cell.bucket());
                GroupStats s = cell.stats();
                byDay.put(cell.bucket(), sum == null
                        ? new DayStats(cell.bucket().atZone(zone).toLocalDate(), s.cost(), s.requests(), 1, cell.unpriced())
                        : new DayStats(sum.day(), sum.cost().add(s.cost()), sum.requests() + s.requests(), sum.activeTeams() + 1,
                                sum.unpriced() + cell.unpriced()));
            }
            return new ArrayList<>(byDay.values());
        }
        return folder.consistently(() -> dayStats(window, filter, zone));
    }

    private List<DayStats> dayStats(TimeWindow window, UsageFilter filter, ZoneId zone) {
        return folder.atWatermark(watermark -> dayStats(window, filter, zone, watermark));
    }

    private List<DayStats> dayStats(TimeWindow window, UsageFilter filter, ZoneId zone, long watermark) {
        Cube cube = cubeFor(List.of(Dimension.TEAM), filter, window);
        WindowPlan plan = WindowPlan.of(window.from(), window.to(), cube.grains, coarsestAligned(window, zone.getRules()));
        requireRaw(window, plan);
        List<Object> params = new ArrayList<>();
        String union = union(window, plan, cube, filter, params, watermark,
                () -> dayNumber("bucket", window, zone, params) + " AS day_no, team, requests, cost_sum, unpriced",
                () -> dayNumber("ts", window, zone, params) + " AS day_no, team, CAST(1 AS BIGINT) AS requests, cost_usd AS cost_sum, "
                        + "CAST(CASE WHEN cost_source = " + UsageRecord.UNPRICED + " THEN 1 ELSE 0 END AS BIGINT) AS unpriced");
        String sql = "SELECT day_no, SUM(requests), SUM(cost_sum), COUNT(DISTINCT team), SUM(unpriced) FROM (" + union
                + ") parts GROUP BY day_no ORDER BY day_no";
        return jdbc.prepareStatement(sql, statement -> {
            bind(statement, params);
            return QueryBudget.query(engine, statement, rs -> {
                List<DayStats> days = new ArrayList<>();
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    days.add(new DayStats(LocalDate.ofEpochDay(rs.getLong(1)), decimal(rs, 3), rs.getLong(2), rs.getInt(4), rs.getLong(5)));
                }
                return days;
            });
        });
    }

    /**
     * One keyset page, newest first: the {@code limit} records after {@code cursor} (older than it; from the newest
     * without one), or with {@code newer} the {@code limit} records just before it (newer than it; the oldest
     * without one), still newest first. Costs the same on page 1,000 as on page 1.
     */
    @ReadOnly
    public List<UsageRecord> page(Instant from, Instant to, UsageFilter filter, RecordCursor cursor, boolean newer, int limit) {
        horizon.require(from, "from");
        return folder.consistently(() -> folder.atWatermark(watermark -> pageOf(from, to, filter, cursor, newer, limit, watermark)));
    }

    /**
     * The folded records' page by the time table's order (it stops after {@code limit}), and the records above
     * the watermark in the window (a few recent ones), merged; read oldest first when paging towards newer
     * records, and turned round.
     */
    private List<UsageRecord> pageOf(Instant from, Instant to, UsageFilter filter, RecordCursor cursor, boolean newer, int limit,
                                     long watermark) {
        Where folded = Where.folded(from, to, filter);
        Where unfolded = Where.unfolded(from, to, filter, watermark);
        String beyond = newer ? ">" : "<";
        String order = newer ? " ASC" : " DESC";
        if (cursor != null) {
            OffsetDateTime ts = Where.utc(cursor.ts());
            folded.and("(at " + beyond + " ? OR (at = ? AND record_id " + beyond + " ?))", ts, ts, cursor.id());
            unfolded.and("(" + Where.UNINDEXED_TS + " " + beyond + " ? OR (ts = ? AND id " + beyond + " ?))", ts, ts, cursor.id());
        }
        String sql = "SELECT " + RECORD_COLUMNS + " FROM (SELECT " + RECORD_COLUMNS + engine.recordsInTimeOrder() + folded.sql()
                + " ORDER BY at" + order + ", record_id" + order + " LIMIT ?) f UNION ALL SELECT " + RECORD_COLUMNS + " FROM usage_record"
                + unfolded.sql() + " ORDER BY ts" + order + ", id" + order + " LIMIT ?";
        List<UsageRecord> page = jdbc.prepareStatement(sql, statement -> {
            int index = folded.bind(statement, 1);
            statement.setInt(index++, limit);
            index = unfolded.bind(statement, index);
            statement.setInt(index, limit);
            return readRecords(statement);
        });
        if (newer) {
            page = new ArrayList<>(page);
            Collections.reverse(page);
        }
        return page;
    }

    /**
     * The first and last instants of the unpriced records passing {@code filter} with {@code from <= ts < to}, or null
     * when there are none or when the raw records there are gone (before the retention horizon). Callers pass a
     * short range (a day the rollups show unpriced calls in), so it reads that range's records only.
     */
    @ReadOnly
    public Instant[] unpricedSpan(Instant from, Instant to, UsageFilter filter) {
        Instant rawFrom = horizon.current();
        if (rawFrom != null && from.isBefore(rawFrom)) {
            return null;
        }
        return folder.consistently(() -> folder.atWatermark(watermark -> {
            Where folded = Where.folded(from, to, filter).and("cost_source = " + UsageRecord.UNPRICED);
            Where unfolded = Where.unfolded(from, to, filter, watermark).and("cost_source = " + UsageRecord.UNPRICED);
            String sql = "SELECT MIN(ts), MAX(ts) FROM (SELECT ts" + engine.recordsInTimeOrder() + folded.sql()
                    + " UNION ALL SELECT ts FROM usage_record" + unfolded.sql() + ") u";
            return jdbc.prepareStatement(sql, statement -> {
                unfolded.bind(statement, folded.bind(statement, 1));
                return QueryBudget.query(engine, statement, rs -> {
                    rs.next();
                    OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime last = rs.getObject(2, OffsetDateTime.class);
                    return first == null ? null : new Instant[] {first.toInstant(), last.toInstant()};
                });
            });
        }));
    }

    /** Every record and the span they cover: the folded ones' first and last instants from the time table's ends. */
    @ReadOnly
    public StoreSummary summary() {
        return summaryOf(true);
    }

    /**
     * The first and last instants stored, without the count (which is a scan of the time table on PostgreSQL):
     * the time table's ends and the unfolded records' by the primary key; {@code records} is left 0.
     */
    @ReadOnly
    public StoreSummary spanOnly() {
        return summaryOf(false);
    }

    private StoreSummary summaryOf(boolean counted) {
        String count = counted ? "COUNT(*)" : "CAST(0 AS BIGINT)";
        return folder.consistently(() -> folder.atWatermark(watermark -> {
            String sql = "SELECT " + count + ", MIN(at), MAX(at) FROM record_time UNION ALL "
                    + "SELECT " + count + ", MIN(ts), MAX(ts) FROM usage_record WHERE id > " + Where.watermarkBound(watermark);
            return jdbc.prepareStatement(sql, statement -> QueryBudget.query(engine, statement, rs -> {
                long records = 0;
                Instant oldest = null;
                Instant newest = null;
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    records += rs.getLong(1);
                    OffsetDateTime first = rs.getObject(2, OffsetDateTime.class);
                    if (first != null) {
                        oldest = earliest(oldest, first.toInstant());
                        newest = latest(newest, rs.getObject(3, OffsetDateTime.class).toInstant());
                    }
                }
                return new StoreSummary(records, oldest, newest);
            }));
        }));
    }

    /**
     * Records of one team and the span they cover: the folded count and first and last day from the daily rollup
     * and the unfolded records' count and instants, in one statement; then the exact first and last instants from
     * the records of those two days only (they may include unfolded ones, whose instants are taken anyway).
     */
    @ReadOnly
    public StoreSummary teamSummary(String team) {
        return folder.consistently(() -> folder.atWatermark(watermark -> summaryOf(team, watermark)));
    }

    private StoreSummary summaryOf(String team, long watermark) {
        String sql = "SELECT SUM(requests), MIN(bucket), MAX(bucket), 0 FROM rollup_team WHERE grain = ? AND team = ? "
                + "UNION ALL SELECT COUNT(*), MIN(ts), MAX(ts), 1 FROM usage_record WHERE id > " + Where.watermarkBound(watermark) + " AND team = ?";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setInt(1, Grain.DAY.code);
            statement.setString(2, team);
            statement.setString(3, team);
            long[] counts = new long[2];
            Instant[][] spans = new Instant[2][2];
            QueryBudget.query(engine, statement, rs -> {
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    int part = rs.getInt(4);
                    counts[part] = rs.getLong(1);
                    if (counts[part] > 0) {
                        spans[part][0] = rs.getObject(2, OffsetDateTime.class).toInstant();
                        spans[part][1] = rs.getObject(3, OffsetDateTime.class).toInstant();
                    }
                }
                return null;
            });
            if (counts[0] > 0) {
                spans[0][0] = edge("MIN", team, spans[0][0]);
                spans[0][1] = edge("MAX", team, spans[0][1]);
            }
            return new StoreSummary(counts[0] + counts[1], earliest(spans[0][0], spans[1][0]), latest(spans[0][1], spans[1][1]));
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    private Instant edge(String function, String team, Instant day) {
        return jdbc.prepareStatement("SELECT " + function + "(ts)" + Where.foldedRecords(engine) + " WHERE at >= ? AND at < ? AND team = ?", statement -> {
            statement.setObject(1, Where.utc(day));
            statement.setObject(2, Where.utc(day.plusSeconds(Grain.DAY.seconds)));
            statement.setString(3, team);
            return QueryBudget.query(engine, statement, rs -> {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            });
        });
    }

    /**
     * The last UTC day each user made a call before {@code before}: whole days from the daily rollup, the part
     * of {@code before}'s own day from the folded records, and the records not folded yet from any day before
     * {@code before}. Users without an id on their calls are not listed.
     */
    @ReadOnly
    public Map<String, LocalDate> lastDayBefore(Instant before) {
        UsageIndex.LastDays memory = indexes.people().lastDays(before, Dimension.USER);
        if (memory != null) {
            Map<String, LocalDate> last = new HashMap<>();
            memory.days().forEach((user, day) -> last.put(user, LocalDate.ofEpochDay(day)));
            String sql = "SELECT user_name, MAX(ts) FROM usage_record WHERE id > " + Where.watermarkBound(memory.watermark())
                    + " AND " + Where.UNINDEXED_TS + " < ? AND user_name IS NOT NULL GROUP BY user_name";
            jdbc.prepareStatement(sql, statement -> {
                statement.setObject(1, Where.utc(before));
                return QueryBudget.query(engine, statement, rs -> {
                    while (rs.next()) {
                        QueryBudget.checkpoint();
                        last.merge(rs.getString(1), rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(),
                                (a, b) -> a.isAfter(b) ? a : b);
                    }
                    return null;
                });
            });
            return last;
        }
        return folder.consistently(() -> folder.atWatermark(watermark -> lastDays(before, watermark)));
    }

    private Map<String, LocalDate> lastDays(Instant before, long watermark) {
        Instant dayStart = Grain.DAY.floor(before);
        String sql = "SELECT user_name, MAX(last_at) FROM ("
                + "SELECT user_name, MAX(bucket) AS last_at FROM " + Cube.USER.table + " WHERE grain = ? AND bucket < ? AND user_name <> ? GROUP BY user_name "
                + "UNION ALL SELECT user_name, MAX(ts) AS last_at" + Where.foldedRecords(engine) + " WHERE at >= ? AND at < ? AND user_name IS NOT NULL "
                + "GROUP BY user_name "
                + "UNION ALL SELECT user_name, MAX(ts) AS last_at FROM usage_record WHERE id > " + Where.watermarkBound(watermark)
                + " AND " + Where.UNINDEXED_TS + " < ? AND user_name IS NOT NULL "
                + "GROUP BY user_name) parts GROUP BY user_name";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setInt(1, Grain.DAY.code);
            statement.setObject(2, Where.utc(dayStart));
            statement.setString(3, RollupWriter.NONE);
            statement.setObject(4, Where.utc(dayStart));
            statement.setObject(5, Where.utc(before));
            statement.setObject(6, Where.utc(before));
            return QueryBudget.query(engine, statement, rs -> {
                Map<String, LocalDate> last = new HashMap<>();
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    last.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate());
                }
                return last;
            });
        });
    }

    /** Up to {@code limit} records with an id above {@code afterId} and at most {@code upTo}, in id order: the rebuild's read. */
    @ReadOnly
    public List<UsageRecord> byId(long afterId, long upTo, int limit) {
        return jdbc.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM usage_record WHERE id > ? AND id <= ? ORDER BY id LIMIT ?", statement -> {
            statement.setLong(1, afterId);
            statement.setLong(2, upTo);
            statement.setInt(3, limit);
            return readRecords(statement);
        });
    }

    /**
     * The narrowest cube with every dimension grouped or filtered on; not the model cube for a window that starts
     * before it has its fine buckets ({@link RawHorizon#modelCubeFrom}).
     */
    private Cube cubeFor(List<Dimension> groupBy, UsageFilter filter, TimeWindow window) {
        return cubeFor(groupBy, filter, window, false);
    }

    /** The same, among the cubes that keep latency sketches when {@code sketches}. */
    private Cube cubeFor(List<Dimension> groupBy, UsageFilter filter, TimeWindow window, boolean sketches) {
        Set<Dimension> needed = EnumSet.noneOf(Dimension.class);
        needed.addAll(groupBy);
        needed.addAll(Where.filteredDimensions(filter));
        Set<Cube> unusable = EnumSet.noneOf(Cube.class);
        Instant modelFrom = horizon.modelCubeFrom();
        if (modelFrom != null && window.from().isBefore(modelFrom)) {
            unusable.add(Cube.MODEL);
        }
        if (sketches) {
            Arrays.stream(Cube.values()).filter(c -> !c.sketches).forEach(unusable::add);
        }
        return Cube.narrowestCovering(needed, unusable);
    }

    /**
     * One SELECT per part of the plan, joined by UNION ALL: whole buckets from the cube, edges from the folded
     * records, each narrowed by the filter, and the records above the fold watermark anywhere in the window
     * (which neither the cube nor the time table holds yet). H2 may read the tables and the watermark at
     * different moments, so callers run it {@link RollupFolder#consistently}. The select lists are built afresh
     * for each part, since they may add parameters of their own; parameters are appended to {@code params} in
     * text order.
     */
    /** Whether every part of {@code plan} that needs raw records lies at or after the retention horizon. */
    private boolean rawKept(TimeWindow window, WindowPlan plan) {
        Instant rawFrom = horizon.current();
        return rawFrom == null || plan.parts().stream().noneMatch(p -> p.grain() == null && p.from().isBefore(rawFrom));
    }

    /** Refuses a read whose parts that need raw records start before the retention horizon, naming the edge. */
    private void requireRaw(TimeWindow window, WindowPlan plan) {
        for (WindowPlan.Part part : plan.parts()) {
            if (part.grain() == null) {
                horizon.require(part.from(), part.from().equals(window.from()) ? "from" : "to");
            }
        }
    }

    private String union(TimeWindow window, WindowPlan plan, Cube cube, UsageFilter filter, List<Object> params,
                         long watermark, Supplier<String> rollup, Supplier<String> raw) {
        List<String> selects = new ArrayList<>();
        for (WindowPlan.Part part : plan.parts()) {
            boolean isRaw = part.grain() == null;
            String select = "SELECT " + (isRaw ? raw.get() : rollup.get());
            Where where = isRaw ? Where.folded(part.from(), part.to(), filter) : Where.narrowing(filter);
            if (isRaw) {
                selects.add(select + Where.foldedRecords(engine) + where.sql());
            } else {
                where.and("grain = ?", part.grain().code)
                        .and("bucket >= ?", Where.utc(part.from()))
                        .and("bucket < ?", Where.utc(part.to()));
                selects.add(select + " FROM " + cube.table + where.sql());
            }
            params.addAll(where.params());
        }
        Where unfolded = Where.unfolded(window.from(), window.to(), filter, watermark);
        selects.add("SELECT " + raw.get() + " FROM usage_record" + unfolded.sql());
        params.addAll(unfolded.params());
        return String.join(" UNION ALL ", selects);
    }

    private static String rawMeasures(List<String> measures, List<String> raw) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < measures.size(); i++) {
            columns.add(raw.get(i) + " AS " + measures.get(i));
        }
        return String.join(", ", columns);
    }

    /** The coarsest grain whose buckets never straddle a local midnight of {@code zone} in the window. */
    private static Grain coarsestAligned(TimeWindow window, ZoneRules rules) {
        long gcd = Math.abs(rules.getOffset(window.from()).getTotalSeconds());
        for (ZoneOffsetTransition t : transitions(window, rules)) {
            gcd = gcd(gcd, Math.abs(t.getOffsetAfter().getTotalSeconds()));
        }
        Grain coarsest = null;
        for (Grain grain : Grain.values()) {
            if (gcd % grain.seconds == 0) {
                coarsest = grain;
            }
        }
        return coarsest;
    }

    /** The zone's offset changes inside the window, in time order. */
    private static List<ZoneOffsetTransition> transitions(TimeWindow window, ZoneRules rules) {
        List<ZoneOffsetTransition> transitions = new ArrayList<>();
        for (ZoneOffsetTransition t = rules.nextTransition(window.from()); t != null && t.getInstant().isBefore(window.to());
             t = rules.nextTransition(t.getInstant())) {
            transitions.add(t);
        }
        return transitions;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The local day number of {@code column}'s instant: FLOOR((epoch seconds + offset) / 86400). */
    private static String dayNumber(String column, TimeWindow window, ZoneId zone, List<Object> params) {
        return "FLOOR((EXTRACT(EPOCH FROM " + column + ") + " + offset(column, window, zone, params) + ") / 86400)";
    }

    /** The zone's offset in seconds at {@code column}'s instant: a CASE over its changes inside the window. */
    private static String offset(String column, TimeWindow window, ZoneId zone, List<Object> params) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffsetTransition> transitions = transitions(window, rules);
        if (transitions.isEmpty()) {
            return String.valueOf(rules.getOffset(window.from()).getTotalSeconds());
        }
        StringBuilder sql = new StringBuilder("CASE");
        for (ZoneOffsetTransition t : transitions) {
            sql.append(" WHEN ").append(column).append(" < ? THEN ").append(t.getOffsetBefore().getTotalSeconds());
            params.add(Where.utc(t.getInstant()));
        }
        return sql.append(" ELSE ").append(transitions.get(transitions.size() - 1).getOffsetAfter().getTotalSeconds())
                .append(" END").toString();
    }

    private static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        int index = 1;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
    }

    /** Rows mapped onto the entity by column name ({@link RecordRows}). */
    private List<UsageRecord> readRecords(PreparedStatement statement) throws SQLException {
        return QueryBudget.query(engine, statement, RecordRows::read);
    }

    private static BigDecimal decimal(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : value;
    }
}
