package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.engine.Engine;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
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
import java.util.TreeMap;

/**
 * The prompt rollup in memory, for {@link PromptAggregates}: per row key (team, workflow, task type, template,
 * version, band) its UTC days' sums, and the folded records of a window's partial days, loaded once per day (least
 * recently used days dropped past its share of {@code aiusage.store.index.cached-records}). A read costs the day
 * cells of the keys that pass the filter plus the partial days' records in the window, not SQL over rollup rows.
 *
 * <p>Exact as every {@link FoldedIndex} is: it holds exactly the records up to its watermark and the caller adds those
 * above it. Cost and quality are kept in whole units of their columns' scales; the sums for Pearson's r are doubles,
 * as in the rollup. Past {@code aiusage.store.index.max-day-cells} it steps aside and the rollup answers in SQL.
 */
@Singleton
public class PromptIndex extends FoldedIndex {
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int COST_SCALE = 10;
    private static final int QUALITY_SCALE = 9;
    /** Longs per cell: calls, cost units, scored, quality units, chars, chars counted, n, m, first seen (epoch ms). */
    static final int LONGS = 9;
    /** Doubles per cell: sx, sxx, sc, scc, sxc, qx, qxx, sq, sqq, sxq. */
    static final int DOUBLES = 10;
    private static final int FIRST_SEEN = 8;
    private static final List<Dimension> FILTERED = List.of(Dimension.TEAM, Dimension.WORKFLOW, Dimension.TASK_TYPE);

    private final Engine engine;

    // guarded by lock
    private final Map<Key, Integer> keyIds = new HashMap<>();
    private final List<Key> keys = new ArrayList<>();
    private final List<TreeMap<Integer, Sums>> days = new ArrayList<>();
    private final DayCache<DayRecords> records;

    PromptIndex(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader, Engine engine,
                @Value("${aiusage.store.index.max-day-cells:1000000}") long maxDayCells,
                @Value("${aiusage.store.index.cached-records:1000000}") long maxCachedRecords) {
        super("prompt", jdbc, transactions, folder, loader, maxDayCells);
        this.engine = engine;
        this.records = new DayCache<>(d -> d.size, maxCachedRecords / UsageIndexes.CACHE_SHARES);
    }

    /** A rollup row's key without its day; none as {@link RollupWriter#NONE}. */
    record Key(String team, String workflow, String taskType, String template, String version, int band) {
        List<String> filtered() {
            return List.of(team, workflow, taskType);
        }
    }

    /** The sums of one key, as one group of the answer; {@code firstSeen} is null when it has no calls. */
    record Answer(Map<Key, Sums> groups, long watermark) {
    }

    /** A cell's or group's sums (longs exact, doubles as the rollup keeps them). */
    static final class Sums {
        final long[] l = new long[LONGS];
        final double[] d = new double[DOUBLES];

        Sums() {
            l[FIRST_SEEN] = Long.MAX_VALUE;
        }

        void add(Sums other) {
            add(other.l, 0, other.d, 0);
        }

        void add(long[] ls, int lo, double[] ds, int dof) {
            for (int i = 0; i < FIRST_SEEN; i++) {
                l[i] = Math.addExact(l[i], ls[lo + i]);
            }
            l[FIRST_SEEN] = Math.min(l[FIRST_SEEN], ls[lo + FIRST_SEEN]);
            for (int i = 0; i < DOUBLES; i++) {
                d[i] += ds[dof + i];
            }
        }

        /** The sums of a cell read in SQL. */
        static Sums of(PromptStats.Cell c) {
            Sums s = new Sums();
            s.l[0] = c.calls();
            s.l[1] = c.cost().setScale(COST_SCALE).unscaledValue().longValueExact();
            s.l[2] = c.scored();
            s.l[3] = c.qualitySum().setScale(QUALITY_SCALE).unscaledValue().longValueExact();
            s.l[4] = (long) c.charsSum();
            s.l[5] = c.charsCount();
            s.l[6] = c.n();
            s.l[7] = c.m();
            s.l[FIRST_SEEN] = c.firstSeen().toEpochMilli();
            double[] d = {c.sx(), c.sxx(), c.sc(), c.scc(), c.sxc(), c.qx(), c.qxx(), c.sq(), c.sqq(), c.sxq()};
            System.arraycopy(d, 0, s.d, 0, DOUBLES);
            return s;
        }

        /** As the insights' cell of a group. */
        PromptStats.Cell cell(String workflow, String taskType, String template, String version, int band) {
            return new PromptStats.Cell(workflow, taskType, template, version, band, l[0], BigDecimal.valueOf(l[1], COST_SCALE), l[2],
                    BigDecimal.valueOf(l[3], QUALITY_SCALE), l[4], l[5], Instant.ofEpochMilli(l[FIRST_SEEN]),
                    l[6], d[0], d[1], d[2], d[3], d[4], l[7], d[5], d[6], d[7], d[8], d[9]);
        }
    }

    /** One record's cell values, as {@code PromptRollup}'s row sums count it. */
    static void values(Integer input, BigDecimal cost, BigDecimal quality, Integer chars, long tsMillis, long[] l, int lo, double[] d,
                       int dof) {
        l[lo] = 1;
        l[lo + 1] = cost.setScale(COST_SCALE).unscaledValue().longValueExact();
        if (quality != null) {
            l[lo + 2] = 1;
            l[lo + 3] = quality.setScale(QUALITY_SCALE).unscaledValue().longValueExact();
        }
        if (chars != null) {
            l[lo + 4] = chars;
            l[lo + 5] = 1;
        }
        l[lo + FIRST_SEEN] = tsMillis;
        if (input != null) {
            double x = input;
            double c = cost.doubleValue();
            l[lo + 6] = 1;
            d[dof] = x;
            d[dof + 1] = x * x;
            d[dof + 2] = c;
            d[dof + 3] = c * c;
            d[dof + 4] = x * c;
            if (quality != null) {
                double q = quality.doubleValue();
                l[lo + 7] = 1;
                d[dof + 5] = x;
                d[dof + 6] = x * x;
                d[dof + 7] = q;
                d[dof + 8] = q * q;
                d[dof + 9] = x * q;
            }
        }
    }

    /**
     * The sums per key of the folded records in {@code [from, to)} up to the watermark, or null when the index
     * cannot answer: a filter on users, providers or models (the rollup does not keep them), or the index stepped
     * aside. The caller asks only once the rollup holds every folded record ({@link RollupUpgrade#promptsReady}).
     */
    Answer sum(Instant from, Instant to, UsageFilter filter) {
        if (!FILTERED.containsAll(Where.filteredDimensions(filter))) {
            return null;
        }
        return readLocked(() -> {
            boolean unfiltered = Where.filteredDimensions(filter).isEmpty();
            boolean[] passes = new boolean[keys.size()];
            for (int k = 0; k < passes.length; k++) {
                passes[k] = unfiltered || Where.matches(filter, FILTERED, keys.get(k).filtered());
            }
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            int firstWhole = (int) Math.floorDiv(fromMs + DAY_MILLIS - 1, DAY_MILLIS);
            int endWhole = (int) Math.floorDiv(toMs, DAY_MILLIS);
            Map<Key, Sums> groups = new HashMap<>();
            for (int k = 0; k < passes.length && firstWhole < endWhole; k++) {
                QueryBudget.checkpoint();
                if (passes[k]) {
                    for (Sums cell : days.get(k).subMap(firstWhole, endWhole).values()) {
                        groups.computeIfAbsent(keys.get(k), x -> new Sums()).add(cell);
                    }
                }
            }
            for (long[] part : partialCells(fromMs, toMs, DAY_MILLIS)) {
                day(Math.floorDiv(part[0], DAY_MILLIS)).add(part[0], part[1], passes, keys, groups);
            }
            return new Answer(groups, watermark);
        });
    }

    private int keyId(Key key) {
        synchronized (keyIds) {
            Integer id = keyIds.get(key);
            if (id == null) {
                id = keys.size();
                keyIds.put(key, id);
                keys.add(key);
                days.add(new TreeMap<>());
            }
            return id;
        }
    }

    private static Key keyOf(UsageRecord r) {
        return new Key(r.team(), RollupWriter.none(r.workflow()), r.taskType(), RollupWriter.none(r.promptTemplate()),
                RollupWriter.none(r.promptVersion()), PromptRollup.band(r.inputTokens()));
    }

    @Override
    void add(List<UsageRecord> folded) {
        long[] l = new long[LONGS];
        double[] d = new double[DOUBLES];
        for (UsageRecord r : folded) {
            Arrays.fill(l, 0);
            Arrays.fill(d, 0);
            long ms = r.ts().toEpochMilli();
            values(r.inputTokens(), r.costUsd(), r.qualityScore(), r.promptChars(), ms, l, 0, d, 0);
            int id = keyId(keyOf(r));
            Sums cell = days.get(id).computeIfAbsent((int) Math.floorDiv(ms, DAY_MILLIS), x -> {
                cells++;
                return new Sums();
            });
            cell.add(l, 0, d, 0);
            DayRecords day = records.ifKept(Math.floorDiv(ms, DAY_MILLIS));
            if (day != null) {
                day.add(ms, id, l, d);
                records.added(1);
            }
        }
    }

    @Override
    void forget() {
        keyIds.clear();
        keys.clear();
        days.clear();
        records.clear();
    }

    @Override
    void drop() {
        days.clear();
        records.clear();
    }

    private static final String ROW_COLUMNS = "bucket, team, workflow, task_type, prompt_template, prompt_version, band, "
            + "calls, cost_sum, scored, quality_sum, chars_sum, chars_count, n, m, first_seen, sx, sxx, sc, scc, sxc, qx, qxx, sq, sqq, sxq";

    @Override
    String loadSql() {
        return "SELECT " + ROW_COLUMNS + " FROM " + PromptRollup.TABLE + " WHERE grain = " + Grain.DAY.code;
    }

    @Override
    void loadRow(ResultSet rs) throws SQLException {
        int id = keyId(new Key(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)));
        Sums cell = new Sums();
        cell.l[0] = rs.getLong(8);
        cell.l[1] = rs.getBigDecimal(9).setScale(COST_SCALE).unscaledValue().longValueExact();
        cell.l[2] = rs.getLong(10);
        cell.l[3] = rs.getBigDecimal(11).setScale(QUALITY_SCALE).unscaledValue().longValueExact();
        cell.l[4] = rs.getLong(12);
        cell.l[5] = rs.getLong(13);
        cell.l[6] = rs.getLong(14);
        cell.l[7] = rs.getLong(15);
        cell.l[FIRST_SEEN] = rs.getObject(16, OffsetDateTime.class).toInstant().toEpochMilli();
        for (int i = 0; i < DOUBLES; i++) {
            cell.d[i] = rs.getDouble(17 + i);
        }
        int day = (int) Math.floorDiv(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), DAY_MILLIS);
        Sums known = days.get(id).putIfAbsent(day, cell);
        if (known != null) {
            known.add(cell);
        } else {
            cells++;
        }
    }

    /** The folded records of UTC day {@code day} up to the watermark; called with the read lock held. */
    private DayRecords day(long day) {
        return records.get(day, this::load);
    }

    private DayRecords load(long day) {
        String sql = "SELECT ts, team, workflow, task_type, prompt_template, prompt_version, input_tokens, cost_usd, quality_score, "
                + "prompt_chars" + Where.foldedRecords(engine) + " WHERE at >= ? AND at < ? AND record_id <= ?";
        return transactions.executeRead(status -> jdbc.prepareStatement(sql, statement -> {
            statement.setObject(1, Where.utc(Instant.ofEpochMilli(day * DAY_MILLIS)));
            statement.setObject(2, Where.utc(Instant.ofEpochMilli((day + 1) * DAY_MILLIS)));
            statement.setLong(3, watermark);
            DayRecords loaded = new DayRecords();
            long[] l = new long[LONGS];
            double[] d = new double[DOUBLES];
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    Integer input = rs.getObject(7, Integer.class);
                    Key key = new Key(rs.getString(2), RollupWriter.none(rs.getString(3)), rs.getString(4), RollupWriter.none(rs.getString(5)),
                            RollupWriter.none(rs.getString(6)), PromptRollup.band(input));
                    long ms = rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli();
                    Arrays.fill(l, 0);
                    Arrays.fill(d, 0);
                    values(input, rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getObject(10, Integer.class), ms, l, 0, d, 0);
                    loaded.add(ms, keyId(key), l, d);
                }
            }
            return loaded;
        }));
    }

    /** The folded records of one UTC day: instant, key and cell values, sorted by instant when read. */
    private static final class DayRecords {
        private long[] ts = new long[64];
        private int[] key = new int[64];
        private long[] l = new long[64 * LONGS];
        private double[] d = new double[64 * DOUBLES];
        private int size;
        private boolean sorted = true;

        synchronized void add(long millis, int keyId, long[] ls, double[] ds) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, size * 2);
                key = Arrays.copyOf(key, size * 2);
                l = Arrays.copyOf(l, size * 2 * LONGS);
                d = Arrays.copyOf(d, size * 2 * DOUBLES);
            }
            sorted = sorted && (size == 0 || ts[size - 1] <= millis);
            ts[size] = millis;
            key[size] = keyId;
            System.arraycopy(ls, 0, l, size * LONGS, LONGS);
            System.arraycopy(ds, 0, d, size * DOUBLES, DOUBLES);
            size++;
        }

        /** Adds the records in {@code [from, to)} of the keys that pass to their key's group. */
        synchronized void add(long from, long to, boolean[] passes, List<Key> keys, Map<Key, Sums> groups) {
            sort();
            int a = lowerBound(from);
            int b = lowerBound(to);
            for (int r = a; r < b; r++) {
                int k = key[r];
                if (k < passes.length && passes[k]) {
                    groups.computeIfAbsent(keys.get(k), x -> new Sums()).add(l, r * LONGS, d, r * DOUBLES);
                }
            }
        }

        private void sort() {
            if (sorted) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int r = 0; r < size; r++) {
                order[r] = r;
            }
            Arrays.sort(order, (x, y) -> Long.compare(ts[x], ts[y]));
            long[] ts2 = new long[ts.length];
            int[] key2 = new int[key.length];
            long[] l2 = new long[l.length];
            double[] d2 = new double[d.length];
            for (int k = 0; k < size; k++) {
                int r = order[k];
                ts2[k] = ts[r];
                key2[k] = key[r];
                System.arraycopy(l, r * LONGS, l2, k * LONGS, LONGS);
                System.arraycopy(d, r * DOUBLES, d2, k * DOUBLES, DOUBLES);
            }
            ts = ts2;
            key = key2;
            l = l2;
            d = d2;
            sorted = true;
        }

        private int lowerBound(long value) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ts[mid] < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
