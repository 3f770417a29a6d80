package dev.aiusage.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prompt insights' rollup ({@code rollup_prompt}): per UTC day, team, workflow, task type, prompt
 * template and version, and input-size band, the sums the insights are derived from. Written by {@link RollupWriter}
 * in the fold's transaction, like the cubes: the step's records summed in memory per row, then one batch of UPDATEs
 * and one of INSERTs.
 */
@Singleton
class PromptRollup {
    static final String TABLE = "rollup_prompt";
    /**
     * Days only: a window's edges shorter than a day come from the records. With hours as well it held 0.95 rows and
     * 138 B a record (measured: `bench/run disk 300000`, 2026-12-03), as much as the full cube.
     */
    static final List<Grain> GRAINS = List.of(Grain.DAY);
    static final List<String> KEYS = List.of("grain", "bucket", "team", "workflow", "task_type", "prompt_template", "prompt_version", "band");
    static final List<String> SUMS = List.of("calls", "cost_sum", "scored", "quality_sum", "chars_sum", "chars_count",
            "n", "sx", "sxx", "sc", "scc", "sxc", "m", "qx", "qxx", "sq", "sqq", "sxq");

    private final JdbcOperations jdbc;

    PromptRollup(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The input-size band of a call: -1 without input tokens, else its place among {@link PromptStats#BAND_BOUNDS}. */
    static int band(Integer inputTokens) {
        if (inputTokens == null) {
            return -1;
        }
        List<Integer> bounds = PromptStats.BAND_BOUNDS;
        for (int b = 0; b < bounds.size(); b++) {
            if (inputTokens < bounds.get(b)) {
                return b;
            }
        }
        return bounds.size();
    }

    private record Key(int grain, Instant bucket, String team, String workflow, String taskType, String template, String version,
                       int band) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::grain).thenComparing(Key::bucket)
            .thenComparing(Key::team).thenComparing(Key::workflow).thenComparing(Key::taskType).thenComparing(Key::template)
            .thenComparing(Key::version).thenComparingInt(Key::band);

    /** A row's sums, accumulated record by record (a sign of -1 takes a record away, for repricing). */
    private static final class Sums {
        long calls;
        BigDecimal cost = BigDecimal.ZERO;
        long scored;
        BigDecimal quality = BigDecimal.ZERO;
        long chars;
        long charsCount;
        Instant firstSeen;
        long n;
        double sx;
        double sxx;
        double sc;
        double scc;
        double sxc;
        long m;
        double qx;
        double qxx;
        double sq;
        double sqq;
        double sxq;

        void add(UsageRecord r, int sign) {
            calls += sign;
            cost = cost.add(sign > 0 ? r.costUsd() : r.costUsd().negate());
            firstSeen = firstSeen == null || r.ts().isBefore(firstSeen) ? r.ts() : firstSeen;
            if (r.qualityScore() != null) {
                scored += sign;
                quality = quality.add(sign > 0 ? r.qualityScore() : r.qualityScore().negate());
            }
            if (r.promptChars() != null) {
                chars += (long) sign * r.promptChars();
                charsCount += sign;
            }
            if (r.inputTokens() != null) {
                double x = r.inputTokens();
                double c = r.costUsd().doubleValue();
                n += sign;
                sx += sign * x;
                sxx += sign * x * x;
                sc += sign * c;
                scc += sign * c * c;
                sxc += sign * x * c;
                if (r.qualityScore() != null) {
                    double q = r.qualityScore().doubleValue();
                    m += sign;
                    qx += sign * x;
                    qxx += sign * x * x;
                    sq += sign * q;
                    sqq += sign * q * q;
                    sxq += sign * x * q;
                }
            }
        }
    }

    /** Adds {@code records}, and replaces each of {@code replaced.get(0)} by its version in {@code replaced.get(1)}. */
    void add(List<UsageRecord> records, List<List<UsageRecord>> replaced) {
        Map<Key, Sums> rows = new TreeMap<>(ORDER);
        for (UsageRecord r : records) {
            addTo(rows, r, 1);
        }
        for (int side = 0; side < replaced.size(); side++) {
            for (UsageRecord r : replaced.get(side)) {
                addTo(rows, r, side == 0 ? -1 : 1);
            }
        }
        merge(rows);
    }

    private static void addTo(Map<Key, Sums> rows, UsageRecord r, int sign) {
        for (Grain grain : GRAINS) {
            Key key = new Key(grain.code, grain.floor(r.ts()), r.team(), RollupWriter.none(r.workflow()), r.taskType(),
                    RollupWriter.none(r.promptTemplate()), RollupWriter.none(r.promptVersion()), band(r.inputTokens()));
            rows.computeIfAbsent(key, k -> new Sums()).add(r, sign);
        }
    }

    private void merge(Map<Key, Sums> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Map.Entry<Key, Sums>> entries = new ArrayList<>(rows.entrySet());
        String update = "UPDATE " + TABLE + " SET " + String.join(", ", SUMS.stream().map(s -> s + " = " + s + " + ?").toList())
                + ", first_seen = LEAST(first_seen, ?) WHERE " + String.join(" AND ", KEYS.stream().map(k -> k + " = ?").toList());
        int[] updated = jdbc.prepareStatement(update, statement -> {
            for (Map.Entry<Key, Sums> e : entries) {
                int i = bindSums(statement, 1, e.getValue());
                statement.setObject(i++, Where.utc(e.getValue().firstSeen));
                bindKey(statement, i, e.getKey());
                statement.addBatch();
            }
            return statement.executeBatch();
        });
        String insert = "INSERT INTO " + TABLE + " (" + String.join(", ", KEYS) + ", " + String.join(", ", SUMS) + ", first_seen) VALUES ("
                + String.join(", ", Collections.nCopies(KEYS.size() + SUMS.size() + 1, "?")) + ")";
        jdbc.prepareStatement(insert, statement -> {
            boolean any = false;
            for (int r = 0; r < entries.size(); r++) {
                if (updated[r] == 0) {
                    int i = bindSums(statement, bindKey(statement, 1, entries.get(r).getKey()), entries.get(r).getValue());
                    statement.setObject(i, Where.utc(entries.get(r).getValue().firstSeen));
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

    private static int bindKey(PreparedStatement s, int first, Key key) throws SQLException {
        int i = first;
        s.setInt(i++, key.grain());
        s.setObject(i++, Where.utc(key.bucket()));
        s.setString(i++, key.team());
        s.setString(i++, key.workflow());
        s.setString(i++, key.taskType());
        s.setString(i++, key.template());
        s.setString(i++, key.version());
        s.setInt(i++, key.band());
        return i;
    }

    private static int bindSums(PreparedStatement s, int first, Sums m) throws SQLException {
        int i = first;
        s.setLong(i++, m.calls);
        s.setBigDecimal(i++, m.cost);
        s.setLong(i++, m.scored);
        s.setBigDecimal(i++, m.quality);
        s.setLong(i++, m.chars);
        s.setLong(i++, m.charsCount);
        s.setLong(i++, m.n);
        for (double v : new double[] {m.sx, m.sxx, m.sc, m.scc, m.sxc}) {
            s.setDouble(i++, v);
        }
        s.setLong(i++, m.m);
        for (double v : new double[] {m.qx, m.qxx, m.sq, m.sqq, m.sxq}) {
            s.setDouble(i++, v);
        }
        return i;
    }
}
