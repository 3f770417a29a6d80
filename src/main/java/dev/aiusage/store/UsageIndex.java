package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import dev.aiusage.domain.UsageFilter;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rollup in memory, keyed as its {@link Shape} says (the work cube, the people, the teams or the models by
 * hour), for the reads that group or filter by its dimensions alone: whole cells (UTC days or hours) as prefix
 * sums per combination, so a window of any length costs two look-ups per combination, and the folded records of
 * a window's two partial days, loaded from the database once per day (least recently used days are dropped past
 * its share of {@code aiusage.store.index.cached-records}). A read costs what the combinations and the two edge
 * days hold, not what the window holds; measured at a mid-size company's 2,500 work combinations, a 30-day read
 * in SQL went through 75,000 rollup rows and 11,000 edge records.
 *
 * <p>Exact at every moment without holding a lock during SQL: the index holds exactly the records up to its own
 * watermark (the last fold it applied), records are never changed or removed, and the caller adds the records
 * above that watermark from the database ({@link Answer#watermark}). Sums are kept as whole units of the
 * columns' scales (10⁻¹⁰ USD, 10⁻⁹ quality points) in longs, and the sums of squares (for variances) at those
 * same scales, rounded per record and per stored day (the only figures here that are not exact); a sum that would
 * overflow makes the index step aside for good and the database answers.
 */
public class UsageIndex extends FoldedIndex {
    static final int N = 21;
    private static final int COST_SCALE = 10;
    private static final int QUALITY_SCALE = 9;
    private static final long DAY_MILLIS = 86_400_000L;

    /**
     * What one index keys on and where it loads from: its dimensions, in the order of a combination's values, the
     * span of its cells (a UTC day or hour), and the SELECT of its rows of that grain (the bucket, those dimensions,
     * then the sums in {@link #loadRow}'s order).
     */
    record Shape(String name, List<Dimension> dimensions, long cellMillis, String daySql) {
        /** The sums {@link #loadRow} reads, in its order: the cubes' columns, or {@code SUM(column)} over grouped rows. */
        static String sums(boolean grouped) {
            return MEASURE_SUMS.stream().map(c -> grouped ? "SUM(" + c + ")" : c).collect(java.util.stream.Collectors.joining(", "));
        }

        private static final List<String> MEASURE_SUMS = List.of("requests", "cost_sum", "tokens_sum", "latency_sum", "latency_count",
                "quality_sum", "quality_count", "passed", "verdicts", "scored_cost_sum", "scored_latency_sum", "scored_latency_count",
                "input_tokens_sum", "output_tokens_sum", "cache_read_sum", "cache_write_sum", "reasoning_sum", "unpriced",
                "unpriced_tokens_sum", "quality_sq_sum", "cost_sq_sum");

        /** The work cube's day rows as they are stored. */
        static final Shape WORK = new Shape("work", Cube.WORK.dimensions, DAY_MILLIS,
                "SELECT bucket, team, model, workflow, task_type, " + sums(false) + " FROM " + Cube.WORK.table + " WHERE grain = " + Grain.DAY.code);

        /**
         * People: team, user, provider and model per day, summed from the full cube's day rows over workflow and task
         * type when first read, for the reads by user (adoption, breakdowns by user, power users, last day of use).
         */
        static final Shape PEOPLE = new Shape("people", List.of(Dimension.TEAM, Dimension.USER, Dimension.PROVIDER, Dimension.MODEL), DAY_MILLIS,
                "SELECT bucket, team, user_name, provider, model, " + sums(true) + " FROM " + Cube.FULL.table + " WHERE grain = "
                        + Grain.DAY.code + " GROUP BY bucket, team, user_name, provider, model");

        /**
         * Teams by UTC hour, from the team cube's hours: hours and days of zones whole hours off UTC by team (a
         * mid-size company's 24 teams over 90 days are 52,000 cells).
         */
        static final Shape TEAM_HOURS = new Shape("team hours", Cube.TEAM.dimensions, Grain.HOUR.seconds * 1000,
                "SELECT bucket, team, " + sums(false) + " FROM " + Cube.TEAM.table + " WHERE grain = " + Grain.HOUR.code);

        /**
         * Models by UTC hour, from the model cube's hours (10 models over 90 days are 21,600 cells); it has no hours
         * before {@link RawHorizon#modelCubeFrom}, so windows that start earlier are not asked of it.
         */
        static final Shape MODEL_HOURS = new Shape("model hours", Cube.MODEL.dimensions, Grain.HOUR.seconds * 1000,
                "SELECT bucket, provider, model, " + sums(false) + " FROM " + Cube.MODEL.table + " WHERE grain = " + Grain.HOUR.code);

        String columns() {
            return dimensions.stream().map(d -> d.column).collect(java.util.stream.Collectors.joining(", "));
        }

        List<String> comboOf(UsageRecord r) {
            List<String> combo = new ArrayList<>(dimensions.size());
            for (Dimension d : dimensions) {
                combo.add(RollupWriter.valueOf(r, d));
            }
            return combo;
        }
    }

    private final Shape shape;

    private final Engine engine;

    // guarded by lock
    private final Map<List<String>, Integer> comboIds = new HashMap<>();
    private final List<List<String>> combos = new ArrayList<>();
    private final List<Series> series = new ArrayList<>();
    /** UTC epoch day → its folded records; access order, for dropping the least recently used. */
    private final DayCache<DayRecords> days;
    /** Groupings by the positions grouped on; valid while the combinations are as many. */
    private final Map<List<Integer>, Grouping> groupings = new HashMap<>();
    /** Views by grouping and filter, least recently used first; their day cells stay within {@link #maxViewCells}. */
    private final LinkedHashMap<ViewKey, View> views = new LinkedHashMap<>(16, 0.75f, true);
    private final long maxViewCells;
    private long viewCells;
    /** Views found too large for {@link #maxViewCells}; guarded by {@link #views}. */
    private final java.util.Set<ViewKey> oversized = new java.util.HashSet<>();

    UsageIndex(Shape shape, JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader,
               Engine engine, long maxDayCells, long maxCachedRecords, long maxViewCells) {
        super(shape.name(), jdbc, transactions, folder, loader, maxDayCells);
        this.shape = shape;
        this.engine = engine;
        this.days = new DayCache<>(d -> d.size, maxCachedRecords);
        this.maxViewCells = maxViewCells;
    }

    long cellMillis() {
        return shape.cellMillis();
    }

    /** Whether the index is loaded from the model cube, which has hours only from {@link RawHorizon#modelCubeFrom} on. */
    boolean fromModelCube() {
        return shape == Shape.MODEL_HOURS;
    }

    /** Whether the index keys on every dimension {@code groupBy} and {@code filter} name. */
    boolean covers(List<Dimension> groupBy, UsageFilter filter) {
        return shape.dimensions().containsAll(groupBy) && shape.dimensions().containsAll(Where.filteredDimensions(filter));
    }

    /** Sums per group of the records up to {@code watermark}; the caller adds those above it. */
    record Answer(Map<List<String>, long[]> groups, long watermark) {
    }

    /**
     * Sums of the records up to the index's watermark in {@code [from, to)} per combination of {@code groupBy},
     * or null when the index cannot answer (a dimension it does not key on, or the index stepped aside).
     */
    Answer sum(Instant from, Instant to, UsageFilter filter, List<Dimension> groupBy) {
        if (!covers(groupBy, filter)) {
            return null;
        }
        return readLocked(() -> {
            int[] positions = groupBy.stream().mapToInt(shape.dimensions()::indexOf).toArray();
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            View view = view(positions, filter);
            if (view != null) {
                return new Answer(view.sum(fromMs, toMs), watermark);
            }
            boolean[] passes = new boolean[combos.size()];
            Grouping grouping = grouping(positions, filter, passes);
            long[][] groups = new long[grouping.keys().size()][N];
            int[] slot = grouping.slotOf();
            long cell = shape.cellMillis();
            long firstWholeDay = Math.floorDiv(fromMs + cell - 1, cell);
            long endWholeDay = Math.floorDiv(toMs, cell);
            if (firstWholeDay < endWholeDay) {
                for (int c = 0; c < combos.size(); c++) {
                    QueryBudget.checkpoint();
                    if (passes[c]) {
                        series.get(c).addRange((int) firstWholeDay, (int) endWholeDay, groups[slot[c]]);
                    }
                }
            }
            for (long[] part : partialCells(fromMs, toMs, shape.cellMillis())) {
                day(Math.floorDiv(part[0], DAY_MILLIS)).add(part[0], part[1], passes, slot, groups);
            }
            Map<List<String>, long[]> answer = new HashMap<>();
            for (int g = 0; g < groups.length; g++) {
                QueryBudget.checkpoint();
                if (groups[g][0] > 0) {
                    answer.put(grouping.keys().get(g), groups[g]);
                }
            }
            return new Answer(answer, watermark);
        });
    }

    /**
     * Sums per group and cell (UTC epoch days or hours: the cell number times {@code cellMillis} is its start) of the
     * records up to {@code watermark}; the caller adds those above it.
     */
    record Cells(Map<List<String>, Map<Long, long[]>> groups, long watermark, long cellMillis) {
    }

    /**
     * Sums of the records up to the index's watermark in {@code [from, to)} per combination of {@code groupBy} and
     * cell, or null when the index cannot answer: each combination's cells in the window's whole cells, the partial
     * cells' records as {@link #sum}'s. Costs the cells of the combinations that pass the filter.
     */
    Cells sumByCell(Instant from, Instant to, UsageFilter filter, List<Dimension> groupBy) {
        if (!covers(groupBy, filter)) {
            return null;
        }
        return readLocked(() -> {
            int[] positions = groupBy.stream().mapToInt(shape.dimensions()::indexOf).toArray();
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            View view = view(positions, filter);
            if (view != null) {
                return new Cells(view.sumByCell(fromMs, toMs), watermark, shape.cellMillis());
            }
            boolean[] passes = new boolean[combos.size()];
            Grouping grouping = grouping(positions, filter, passes);
            int groupCount = grouping.keys().size();
            int[] slot = grouping.slotOf();
            Map<Long, long[][]> byDay = new TreeMap<>();
            long cell = shape.cellMillis();
            int firstWholeDay = (int) Math.floorDiv(fromMs + cell - 1, cell);
            int endWholeDay = (int) Math.floorDiv(toMs, cell);
            for (int c = 0; c < combos.size() && firstWholeDay < endWholeDay; c++) {
                QueryBudget.checkpoint();
                if (passes[c]) {
                    for (Map.Entry<Integer, long[]> stored : series.get(c).cells.subMap(firstWholeDay, endWholeDay).entrySet()) {
                        addInto(byDay.computeIfAbsent((long) stored.getKey(), d -> new long[groupCount][N])[slot[c]], stored.getValue(), 0);
                    }
                }
            }
            for (long[] part : partialCells(fromMs, toMs, shape.cellMillis())) {
                day(Math.floorDiv(part[0], DAY_MILLIS)).add(part[0], part[1], passes, slot,
                        byDay.computeIfAbsent(Math.floorDiv(part[0], cell), k -> new long[groupCount][N]));
            }
            Map<List<String>, Map<Long, long[]>> answer = new HashMap<>();
            byDay.forEach((d, groups) -> {
                for (int g = 0; g < groupCount; g++) {
                    QueryBudget.checkpoint();
                    if (groups[g][0] > 0) {
                        answer.computeIfAbsent(grouping.keys().get(g), k -> new HashMap<>()).put(d, groups[g]);
                    }
                }
            });
            return new Cells(answer, watermark, shape.cellMillis());
        });
    }

    /** Per value of a dimension, the last UTC epoch day with records up to {@code watermark}; the caller adds those above it. */
    record LastDays(Map<String, Long> days, long watermark) {
    }

    /**
     * The last UTC day before {@code before} on which each value of {@code by} (none left out) had a record: whole
     * days from the combinations' days, {@code before}'s own day from its records; null when the index cannot answer.
     */
    LastDays lastDays(Instant before, Dimension by) {
        int position = shape.dimensions().indexOf(by);
        if (position < 0 || shape.cellMillis() != DAY_MILLIS) {
            return null;
        }
        return readLocked(() -> {
            long beforeMs = before.toEpochMilli();
            long day = Math.floorDiv(beforeMs, DAY_MILLIS);
            Map<String, Long> last = new HashMap<>();
            for (int c = 0; c < combos.size(); c++) {
                QueryBudget.checkpoint();
                String value = combos.get(c).get(position);
                int found = series.get(c).lastDayBefore((int) day);
                if (!RollupWriter.NONE.equals(value) && found != Integer.MIN_VALUE) {
                    last.merge(value, (long) found, Math::max);
                }
            }
            if (day * DAY_MILLIS < beforeMs) {
                for (int c : day(day).combosBefore(beforeMs)) {
                    String value = combos.get(c).get(position);
                    if (!RollupWriter.NONE.equals(value)) {
                        last.put(value, day);
                    }
                }
            }
            return new LastDays(last, watermark);
        });
    }

    /** The groups of one grouping: their keys, and each combination's group. */
    private record Grouping(List<List<String>> keys, int[] slotOf) {
    }

    /**
     * The groups combinations fall in for the positions grouped on (kept until combinations are added), and
     * whether each combination passes the filter.
     */
    private Grouping grouping(int[] positions, UsageFilter filter, boolean[] passes) {
        boolean unfiltered = Where.filteredDimensions(filter).isEmpty();
        for (int c = 0; c < combos.size(); c++) {
            QueryBudget.checkpoint();
            passes[c] = unfiltered || Where.matches(filter, shape.dimensions(), combos.get(c));
        }
        List<Integer> grouped = Arrays.stream(positions).boxed().toList();
        synchronized (groupings) {
            Grouping cached = groupings.get(grouped);
            if (cached != null && cached.slotOf().length == combos.size()) {
                return cached;
            }
            Map<List<String>, Integer> slots = new HashMap<>();
            List<List<String>> keys = new ArrayList<>();
            int[] slotOf = new int[combos.size()];
            for (int c = 0; c < combos.size(); c++) {
                QueryBudget.checkpoint();
                slotOf[c] = slots.computeIfAbsent(RollupWriter.groupKey(combos.get(c), positions), k -> {
                    keys.add(k);
                    return keys.size() - 1;
                });
            }
            Grouping grouping = new Grouping(keys, slotOf);
            groupings.put(grouped, grouping);
            return grouping;
        }
    }

    /** The records of UTC day {@code day} up to the watermark; called with the read lock held. */
    private DayRecords day(long day) {
        return days.get(day, this::load);
    }

    private DayRecords load(long day) {
        String sql = "SELECT ts, " + shape.columns() + ", " + MEASURE_COLUMNS + Where.foldedRecords(engine) + " WHERE at >= ? AND at < ? AND record_id <= ?";
        int n = shape.dimensions().size();
        return transactions.executeRead(status -> jdbc.prepareStatement(sql, statement -> {
            statement.setObject(1, Where.utc(Instant.ofEpochMilli(day * DAY_MILLIS)));
            statement.setObject(2, Where.utc(Instant.ofEpochMilli((day + 1) * DAY_MILLIS)));
            statement.setLong(3, watermark);
            DayRecords records = new DayRecords();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    List<String> combo = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        combo.add(RollupWriter.none(rs.getString(i + 2)));
                    }
                    records.add(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), comboId(combo),
                            measures(rs, n + 2));
                }
            }
            return records;
        }));
    }

    /** The record columns {@link #measures(ResultSet, int)} reads, in its order. */
    static final String MEASURE_COLUMNS = "input_tokens, output_tokens, cost_usd, latency_ms, quality_score, passed_quality, "
            + "cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_source";

    /** The measures of the record whose {@link #MEASURE_COLUMNS} start at column {@code first}. */
    static long[] measures(ResultSet rs, int first) throws SQLException {
        long[] m = measures(rs.getObject(first, Integer.class), rs.getObject(first + 1, Integer.class), rs.getBigDecimal(first + 2),
                rs.getObject(first + 3, Integer.class), rs.getBigDecimal(first + 4), rs.getObject(first + 5, Boolean.class));
        return withKinds(m, rs.getLong(first + 6), rs.getLong(first + 7), rs.getLong(first + 8), rs.getShort(first + 9) == UsageRecord.UNPRICED);
    }

    /** The record's measures, as {@link Measures#add} counts them. */
    static long[] measures(UsageRecord r) {
        long[] m = measures(r.inputTokens(), r.outputTokens(), r.costUsd(), r.latencyMs(), r.qualityScore(), r.passedQuality());
        return withKinds(m, r.cacheReadTokens() == null ? 0 : r.cacheReadTokens(), r.cacheWriteTokens() == null ? 0 : r.cacheWriteTokens(),
                r.reasoningTokens() == null ? 0 : r.reasoningTokens(), r.unpriced());
    }

    /** A record's token kinds and, when unpriced, its count and tokens, in m[14..18]. */
    private static long[] withKinds(long[] m, long cacheRead, long cacheWrite, long reasoning, boolean unpriced) {
        m[14] = cacheRead;
        m[15] = cacheWrite;
        m[16] = reasoning;
        if (unpriced) {
            m[17] = 1;
            m[18] = m[2];
        }
        return m;
    }

    private static long[] measures(Integer input, Integer output, BigDecimal cost, Integer latency, BigDecimal quality, Boolean passed) {
        long[] m = new long[N];
        long costUnits = cost.setScale(COST_SCALE).unscaledValue().longValueExact();
        m[0] = 1;
        m[1] = costUnits;
        m[2] = (input == null ? 0L : input) + (output == null ? 0L : output);
        if (latency != null) {
            m[3] = latency;
            m[4] = 1;
        }
        if (quality != null) {
            m[5] = quality.setScale(QUALITY_SCALE).unscaledValue().longValueExact();
            m[6] = 1;
            m[9] = costUnits;
            if (latency != null) {
                m[10] = latency;
                m[11] = 1;
            }
        }
        if (passed != null) {
            m[8] = 1;
            m[7] = passed ? 1 : 0;
        }
        m[12] = input == null ? 0L : input;
        m[13] = output == null ? 0L : output;
        if (quality != null) {
            m[19] = units(quality.multiply(quality), QUALITY_SCALE);
        }
        m[20] = units(cost.multiply(cost), COST_SCALE);
        return m;
    }

    /** A sum of squares in whole units of {@code scale}, rounded: the squares' own scale would outgrow a long within records. */
    private static long units(BigDecimal value, int scale) {
        return value.setScale(scale, java.math.RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /** Call with the write lock held, or the read lock while loading a day. */
    private int comboId(List<String> combo) {
        synchronized (comboIds) {
            Integer id = comboIds.get(combo);
            if (id == null) {
                id = combos.size();
                comboIds.put(combo, id);
                combos.add(combo);
                series.add(new Series());
            }
            return id;
        }
    }

    @Override
    void add(List<UsageRecord> records) {
        // each touched combination's prefix sums are rebuilt once, not once per record
        java.util.Set<Series> touched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (UsageRecord r : records) {
            int id = comboId(shape.comboOf(r));
            long[] m = measures(r);
            long ms = r.ts().toEpochMilli();
            Series s = series.get(id);
            int at = (int) Math.floorDiv(ms, shape.cellMillis());
            if (s.add(at, m)) {
                cells++;
            }
            touched.add(s);
            synchronized (views) {
                for (View view : views.values()) {
                    view.add(id, at, m, touched);
                }
            }
            DayRecords day = days.ifKept(Math.floorDiv(ms, DAY_MILLIS));
            if (day != null) {
                day.add(ms, id, m);
                days.added(1);
            }
        }
        touched.forEach(Series::rebuild);
        synchronized (views) {
            views.values().forEach(View::recount);
            evictViews();
        }
    }

    @Override
    void forget() {
        comboIds.clear();
        combos.clear();
        series.clear();
        synchronized (groupings) {
            groupings.clear();
        }
        clearViews();
        days.clear();
    }

    @Override
    void drop() {
        series.clear();
        clearViews();
        days.clear();
    }

    private void clearViews() {
        synchronized (views) {
            views.clear();
            oversized.clear();
            viewCells = 0;
        }
    }

    /** Drops the least recently used views while their cells are over budget. Call holding {@code views}. */
    private void evictViews() {
        var oldest = views.values().iterator();
        while (viewCells > maxViewCells && oldest.hasNext()) {
            viewCells -= oldest.next().cells;
            oldest.remove();
        }
    }

    /**
     * The view of {@code positions} under {@code filter}, built from the combinations' cells on first use, or
     * null when it would not fit the views' budget (the caller then sums combination by combination). Call
     * with the read lock held: combinations' cells change only under the write lock.
     */
    private View view(int[] positions, UsageFilter filter) {
        ViewKey key = new ViewKey(Arrays.stream(positions).boxed().toList(), filter);
        synchronized (views) {
            View cached = views.get(key);
            if (cached != null || oversized.contains(key)) {
                return cached;
            }
        }
        View built = new View(positions, filter);
        Series[] known;
        synchronized (comboIds) {
            known = series.toArray(new Series[0]);
        }
        for (int c = 0; c < known.length; c++) {
            int slot = built.slot(c);
            if (slot >= 0) {
                Series target = built.series.get(slot);
                known[c].cells.forEach(target::add);
            }
        }
        built.series.forEach(Series::rebuild);
        built.cells = built.countCells();
        synchronized (views) {
            View raced = views.get(key);
            if (raced != null) {
                return raced;
            }
            if (built.cells > maxViewCells) {
                // not built again for every read: until the index loads afresh, this one sums by combination
                if (oversized.size() >= 1000) {
                    oversized.clear();
                }
                oversized.add(key);
                return null;
            }
            views.put(key, built);
            viewCells += built.cells;
            evictViews();
            return built;
        }
    }

    private record ViewKey(List<Integer> positions, UsageFilter filter) {
    }

    /**
     * The combinations that pass one filter, grouped on some of the work cube's dimensions: per group, its UTC
     * days as prefix sums (like a combination's), so a window costs two look-ups per group returned rather than
     * per combination stored, and the edge days' records indexed by group.
     */
    private final class View {
        private final int[] positions;
        private final UsageFilter filter;
        private final boolean unfiltered;
        private final List<List<String>> keys = new ArrayList<>();
        private final Map<List<String>, Integer> slots = new HashMap<>();
        /** Per combination, its group, or -1 when the filter drops it; grown as combinations appear. */
        private int[] slotOf = new int[0];
        private final List<Series> series = new ArrayList<>();
        private long cells;

        View(int[] positions, UsageFilter filter) {
            this.positions = positions;
            this.filter = filter;
            this.unfiltered = Where.filteredDimensions(filter).isEmpty();
        }

        /** The group of combination {@code c}, or -1; covers every combination known so far. */
        synchronized int slot(int c) {
            if (c >= slotOf.length) {
                synchronized (comboIds) {
                    int[] grown = Arrays.copyOf(slotOf, combos.size());
                    for (int k = slotOf.length; k < grown.length; k++) {
                        grown[k] = groupOf(combos.get(k));
                    }
                    slotOf = grown;
                }
            }
            return slotOf[c];
        }

        private int groupOf(List<String> combo) {
            if (!unfiltered && !Where.matches(filter, shape.dimensions(), combo)) {
                return -1;
            }
            return slots.computeIfAbsent(RollupWriter.groupKey(combo, positions), k -> {
                keys.add(k);
                series.add(new Series());
                return keys.size() - 1;
            });
        }

        /** A folded record of combination {@code c}; call with the write lock held. */
        void add(int c, int day, long[] m, java.util.Set<Series> touched) {
            int slot = slot(c);
            if (slot >= 0) {
                Series target = series.get(slot);
                target.add(day, m);
                touched.add(target);
            }
        }

        /** Brings {@link #cells} and the views' total up to date after folded records were added. */
        void recount() {
            long n = countCells();
            synchronized (views) {
                viewCells += n - cells;
            }
            cells = n;
        }

        long countCells() {
            long n = 0;
            for (Series s : series) {
                n += s.cells.size();
            }
            return n;
        }

        /** Sums per group and cell over {@code [fromMs, toMs)}, in arrays of their own; call with the read lock held. */
        Map<List<String>, Map<Long, long[]>> sumByCell(long fromMs, long toMs) {
            long cell = shape.cellMillis();
            int firstWhole = (int) Math.floorDiv(fromMs + cell - 1, cell);
            int endWhole = (int) Math.floorDiv(toMs, cell);
            // the partial cells are grouped first, as grouping may add groups
            List<long[]> parts = partialCells(fromMs, toMs, shape.cellMillis());
            List<DayRecords.Grouped> grouped = new ArrayList<>(parts.size());
            for (long[] part : parts) {
                grouped.add(day(Math.floorDiv(part[0], DAY_MILLIS)).groupedBy(this));
            }
            int groupCount;
            synchronized (this) {
                groupCount = series.size();
            }
            Map<List<String>, Map<Long, long[]>> answer = new HashMap<>();
            for (int g = 0; g < groupCount && firstWhole < endWhole; g++) {
                QueryBudget.checkpoint();
                java.util.SortedMap<Integer, long[]> stored = series.get(g).cells.subMap(firstWhole, endWhole);
                if (!stored.isEmpty()) {
                    // by hash, not in order: the caller buckets them, and a tree's puts were a tenth of a team per hour's answer
                    Map<Long, long[]> cells = answer.computeIfAbsent(keys.get(g), k -> new HashMap<>());
                    stored.forEach((at, sums) -> cells.put((long) at, sums.clone()));
                }
            }
            for (int k = 0; k < parts.size(); k++) {
                long[][] groups = new long[groupCount][N];
                grouped.get(k).add(parts.get(k)[0], parts.get(k)[1], groups, null, null);
                long at = Math.floorDiv(parts.get(k)[0], cell);
                for (int g = 0; g < groupCount; g++) {
                    if (groups[g][0] > 0) {
                        addInto(answer.computeIfAbsent(keys.get(g), x -> new HashMap<>()).computeIfAbsent(at, x -> new long[N]), groups[g], 0);
                    }
                }
            }
            return answer;
        }

        /** Sums per group over {@code [fromMs, toMs)}; call with the read lock held. */
        Map<List<String>, long[]> sum(long fromMs, long toMs) {
            long cell = shape.cellMillis();
            long firstWholeDay = Math.floorDiv(fromMs + cell - 1, cell);
            long endWholeDay = Math.floorDiv(toMs, cell);
            // the partial days are grouped first, as grouping may add groups
            List<long[]> parts = partialCells(fromMs, toMs, shape.cellMillis());
            List<DayRecords.Grouped> grouped = new ArrayList<>(parts.size());
            for (long[] part : parts) {
                grouped.add(day(Math.floorDiv(part[0], DAY_MILLIS)).groupedBy(this));
            }
            int groupCount;
            synchronized (this) {
                groupCount = series.size();
            }
            long[][] groups = new long[groupCount][N];
            if (firstWholeDay < endWholeDay) {
                for (int g = 0; g < groupCount; g++) {
                    series.get(g).addRange((int) firstWholeDay, (int) endWholeDay, groups[g]);
                }
            }
            for (int k = 0; k < parts.size(); k++) {
                grouped.get(k).add(parts.get(k)[0], parts.get(k)[1], groups, null, null);
            }
            Map<List<String>, long[]> answer = new HashMap<>();
            for (int g = 0; g < groupCount; g++) {
                if (groups[g][0] > 0) {
                    answer.put(keys.get(g), groups[g]);
                }
            }
            return answer;
        }
    }

    @Override
    String loadSql() {
        return shape.daySql();
    }

    @Override
    void loadedAll() {
        series.forEach(Series::rebuild);
    }

    @Override
    void loadRow(ResultSet rs) throws SQLException {
        int n = shape.dimensions().size();
        List<String> combo = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            combo.add(rs.getString(i + 2));
        }
        int id = comboId(combo);
        int f = n + 2;
        long[] m = new long[N];
        m[0] = rs.getLong(f);
        m[1] = rs.getBigDecimal(f + 1).setScale(COST_SCALE).unscaledValue().longValueExact();
        m[2] = rs.getLong(f + 2);
        m[3] = rs.getLong(f + 3);
        m[4] = rs.getLong(f + 4);
        m[5] = rs.getBigDecimal(f + 5).setScale(QUALITY_SCALE).unscaledValue().longValueExact();
        m[6] = rs.getLong(f + 6);
        m[7] = rs.getLong(f + 7);
        m[8] = rs.getLong(f + 8);
        m[9] = rs.getBigDecimal(f + 9).setScale(COST_SCALE).unscaledValue().longValueExact();
        for (int i = 10; i < 19; i++) {
            m[i] = rs.getLong(f + i);
        }
        m[19] = units(rs.getBigDecimal(f + 19), QUALITY_SCALE);
        m[20] = units(rs.getBigDecimal(f + 20), COST_SCALE);
        long at = Math.floorDiv(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), shape.cellMillis());
        if (series.get(id).add((int) at, m)) {
            cells++;
        }
    }

    /** Sums as {@link GroupStats}, scales restored. */
    static GroupStats stats(List<String> keys, long[] m) {
        return new GroupStats(keys, m[0], BigDecimal.valueOf(m[1], COST_SCALE), m[2], m[3], m[4], BigDecimal.valueOf(m[5], QUALITY_SCALE),
                m[6], m[7], m[8], BigDecimal.valueOf(m[9], COST_SCALE), m[10], m[11], m[17],
                BigDecimal.valueOf(m[19], QUALITY_SCALE), BigDecimal.valueOf(m[20], COST_SCALE));
    }

    /** Sums as a breakdown's {@link UsageCell} in {@code bucket} (null: not bucketed). */
    static UsageCell cell(Instant bucket, List<String> keys, long[] m) {
        return new UsageCell(bucket, stats(keys, m), m[12], m[13], m[14], m[15], m[16], m[17], m[18], null);
    }

    static void addInto(long[] target, long[] source, int offset) {
        for (int i = 0; i < N; i++) {
            target[i] = Math.addExact(target[i], source[offset + i]);
        }
    }

    /** One combination's day cells, and their prefix sums for ranges. */
    private static final class Series {
        private final TreeMap<Integer, long[]> cells = new TreeMap<>();
        private int[] days = new int[0];
        /** prefix[k * N + i]: measure i summed over the first k days. */
        private long[] prefix = new long[N];
        /** True when the combination has a cell on every day from its first to its last: positions by subtraction. */
        private boolean contiguous;

        /** True when the day is new to this combination. */
        boolean add(int day, long[] m) {
            long[] cell = cells.get(day);
            if (cell == null) {
                cells.put(day, m.clone());
                return true;
            }
            addInto(cell, m, 0);
            return false;
        }

        void rebuild() {
            days = new int[cells.size()];
            prefix = new long[(cells.size() + 1) * N];
            int k = 0;
            for (Map.Entry<Integer, long[]> cell : cells.entrySet()) {
                days[k] = cell.getKey();
                for (int i = 0; i < N; i++) {
                    prefix[(k + 1) * N + i] = Math.addExact(prefix[k * N + i], cell.getValue()[i]);
                }
                k++;
            }
            contiguous = days.length > 0 && days[days.length - 1] - days[0] == days.length - 1;
        }

        /** Adds the sums of days {@code [from, to)} to {@code into}. */
        void addRange(int from, int to, long[] into) {
            int a = lowerBound(from);
            int b = lowerBound(to);
            if (a == b) {
                return;
            }
            for (int i = 0; i < N; i++) {
                into[i] = Math.addExact(into[i], prefix[b * N + i] - prefix[a * N + i]);
            }
        }

        /** The last day before {@code day} with a cell, or {@link Integer#MIN_VALUE}. */
        int lastDayBefore(int day) {
            int k = lowerBound(day);
            return k == 0 ? Integer.MIN_VALUE : days[k - 1];
        }

        private int lowerBound(int day) {
            if (contiguous) {
                return (int) Math.max(0, Math.min(days.length, (long) day - days[0]));
            }
            int i = Arrays.binarySearch(days, day);
            return i >= 0 ? i : -i - 1;
        }
    }

    /**
     * The folded records of one UTC day, in arrival order, and per combination (built when first read after a
     * change) their instants in order with prefix sums, so that the part of the day in a window costs two binary
     * searches per combination rather than a pass over the day's records.
     */
    private static final class DayRecords {
        private long[] ts = new long[64];
        private int[] combo = new int[64];
        private long[] m = new long[64 * N];
        private int size;
        /** The day's records grouped by combination; null when stale. */
        private Grouped byCombo;
        /** The day's records grouped by a view's groups, for the last few views read; emptied when a record is added. */
        private final Map<View, Grouped> byView = new java.util.IdentityHashMap<>();
        private static final int VIEWS_PER_DAY = 8;

        /** Group numbers, and per group its instants in order with prefix sums. */
        private record Grouped(int[] ids, Series[] series) {
            void add(long from, long to, long[][] groups, boolean[] passes, int[] slot) {
                for (int k = 0; k < ids.length; k++) {
                    int id = ids[k];
                    if (passes == null) {
                        series[k].addRange(from, to, groups[id]);
                    } else if (id < passes.length && passes[id]) {
                        series[k].addRange(from, to, groups[slot[id]]);
                    }
                }
            }
        }

        synchronized void add(long millis, int comboId, long[] measures) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, size * 2);
                combo = Arrays.copyOf(combo, size * 2);
                m = Arrays.copyOf(m, size * 2 * N);
            }
            ts[size] = millis;
            combo[size] = comboId;
            System.arraycopy(measures, 0, m, size * N, N);
            size++;
            byCombo = null;
            byView.clear();
        }

        /** The combinations with a record before {@code to}. */
        synchronized java.util.Set<Integer> combosBefore(long to) {
            java.util.Set<Integer> found = new java.util.HashSet<>();
            for (int r = 0; r < size; r++) {
                if (ts[r] < to) {
                    found.add(combo[r]);
                }
            }
            return found;
        }

        /** Adds the records in {@code [from, to)} of the combinations that pass, each to its slot's group. */
        synchronized void add(long from, long to, boolean[] passes, int[] slot, long[][] groups) {
            if (byCombo == null) {
                int[] key = Arrays.copyOf(combo, size);
                byCombo = group(key);
            }
            byCombo.add(from, to, groups, passes, slot);
        }

        /** The day's records grouped by the groups of {@code view}. */
        synchronized Grouped groupedBy(View view) {
            Grouped grouped = byView.get(view);
            if (grouped == null) {
                int[] key = new int[size];
                for (int r = 0; r < size; r++) {
                    key[r] = view.slot(combo[r]);
                }
                grouped = group(key);
                if (byView.size() >= VIEWS_PER_DAY) {
                    byView.clear();
                }
                byView.put(view, grouped);
            }
            return grouped;
        }

        /** Groups the day's records by {@code key} (rows keyed -1 left out): sorted by (key, instant), one series per run. */
        private Grouped group(int[] key) {
            Integer[] order = new Integer[size];
            for (int r = 0; r < size; r++) {
                order[r] = r;
            }
            Arrays.sort(order, (x, y) -> key[x] != key[y] ? Integer.compare(key[x], key[y]) : Long.compare(ts[x], ts[y]));
            List<Integer> starts = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                if (key[order[k]] >= 0 && (starts.isEmpty() || key[order[k]] != key[order[k - 1]])) {
                    starts.add(k);
                }
            }
            starts.add(size);
            int[] ids = new int[starts.size() - 1];
            Series[] series = new Series[starts.size() - 1];
            for (int g = 0; g + 1 < starts.size(); g++) {
                int first = starts.get(g);
                int n = starts.get(g + 1) - first;
                long[] instants = new long[n];
                long[] prefix = new long[(n + 1) * N];
                for (int k = 0; k < n; k++) {
                    int r = order[first + k];
                    instants[k] = ts[r];
                    for (int i = 0; i < N; i++) {
                        prefix[(k + 1) * N + i] = Math.addExact(prefix[k * N + i], m[r * N + i]);
                    }
                }
                ids[g] = key[order[first]];
                series[g] = new Series(instants, prefix);
            }
            return new Grouped(ids, series);
        }

        /** One combination's instants in one day, in order, with prefix sums. */
        private record Series(long[] instants, long[] prefix) {
            void addRange(long from, long to, long[] into) {
                int a = lowerBound(instants, from);
                int b = lowerBound(instants, to);
                if (a == b) {
                    return;
                }
                for (int i = 0; i < N; i++) {
                    into[i] = Math.addExact(into[i], prefix[b * N + i] - prefix[a * N + i]);
                }
            }
        }

        private static int lowerBound(long[] sorted, long value) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
