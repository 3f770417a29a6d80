package dev.aiusage.store;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt insights' read: sums per workflow, task type, template, version and input-size band. From the prompt
 * rollup held in memory ({@link PromptIndex}) where it can answer, with the records not folded yet; else from the
 * rollup in SQL ({@link PromptRollup}), the whole UTC days of the window, with the records only for the edges
 * shorter than a day and those not folded yet: O(rollup rows), not O(records in the window). The
 * window's records are scanned instead (under the request's time budget) when the filter names users, providers or
 * models, which the rollup does not keep, or while an upgraded install's rollup is still being filled.
 */
@Singleton
public class PromptAggregates {
    private static final String GROUP = "workflow, task_type, prompt_template, prompt_version, band";
    /** The parts' columns, in {@link PromptRollup}'s names; the raw parts compute them per record. */
    private static final List<String> COLUMNS = List.of("calls", "cost_sum", "scored", "quality_sum", "chars_sum", "chars_count",
            "first_seen", "n", "sx", "sxx", "sc", "scc", "sxc", "m", "qx", "qxx", "sq", "sqq", "sxq");
    private static final String X = "CAST(input_tokens AS DOUBLE PRECISION)";
    private static final String C = "CAST(cost_usd AS DOUBLE PRECISION)";
    private static final String Q = "CAST(quality_score AS DOUBLE PRECISION)";
    private static final String HAS_X = "input_tokens IS NOT NULL";
    private static final String HAS_XQ = "input_tokens IS NOT NULL AND quality_score IS NOT NULL";
    private static final List<String> RAW = List.of(
            "CAST(1 AS BIGINT)",
            "cost_usd",
            "CAST(CASE WHEN quality_score IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "COALESCE(quality_score, 0)",
            "CAST(COALESCE(prompt_chars, 0) AS BIGINT)",
            "CAST(CASE WHEN prompt_chars IS NULL THEN 0 ELSE 1 END AS BIGINT)",
            "ts",
            "CAST(CASE WHEN " + HAS_X + " THEN 1 ELSE 0 END AS BIGINT)",
            when(HAS_X, X), when(HAS_X, X + " * " + X), when(HAS_X, C), when(HAS_X, C + " * " + C), when(HAS_X, X + " * " + C),
            "CAST(CASE WHEN " + HAS_XQ + " THEN 1 ELSE 0 END AS BIGINT)",
            when(HAS_XQ, X), when(HAS_XQ, X + " * " + X), when(HAS_XQ, Q), when(HAS_XQ, Q + " * " + Q), when(HAS_XQ, X + " * " + Q));

    private final JdbcOperations jdbc;
    private final Engine engine;
    private final RollupFolder folder;
    private final RawHorizon horizon;
    private final RollupUpgrade upgrade;
    private final PromptIndex index;

    public PromptAggregates(JdbcOperations jdbc, Engine engine, RollupFolder folder, RawHorizon horizon, RollupUpgrade upgrade,
                            PromptIndex index) {
        this.index = index;
        this.horizon = horizon;
        this.jdbc = jdbc;
        this.engine = engine;
        this.folder = folder;
        this.upgrade = upgrade;
    }

    private static String when(String condition, String value) {
        return "CAST(CASE WHEN " + condition + " THEN " + value + " ELSE 0 END AS DOUBLE PRECISION)";
    }

    @ReadOnly
    public List<PromptStats.Cell> cells(TimeWindow window, UsageFilter filter) {
        // the rollup is filled from the raw records' horizon on (an upgrade, a rebuild), so windows stay within it
        horizon.require(window.from(), "from");
        PromptIndex.Answer memory = rollupAnswers(filter) ? index.sum(window.from(), window.to(), filter) : null;
        if (memory != null) {
            // the index's keys per group (team summed away), then the records above its watermark
            Map<List<Object>, PromptIndex.Sums> groups = new HashMap<>();
            memory.groups().forEach((key, sums) -> groups.computeIfAbsent(List.of(key.workflow(), key.taskType(), key.template(),
                    key.version(), key.band()), k -> new PromptIndex.Sums()).add(sums));
            for (PromptStats.Cell cell : query(List.of(), List.of(), window, filter, memory.watermark())) {
                groups.computeIfAbsent(List.of(stored(cell.workflow()), cell.taskType(), stored(cell.template()), stored(cell.version()),
                        cell.band()), k -> new PromptIndex.Sums()).add(PromptIndex.Sums.of(cell));
            }
            List<PromptStats.Cell> cells = new ArrayList<>();
            groups.forEach((k, sums) -> cells.add(sums.cell(none((String) k.get(0)), (String) k.get(1), none((String) k.get(2)),
                    none((String) k.get(3)), (Integer) k.get(4))));
            return cells;
        }
        return folder.consistently(() -> folder.atWatermark(watermark -> cellsOf(window, filter, watermark)));
    }

    /** Whether the prompt rollup can answer: it keeps team, workflow and task type, and holds every folded record. */
    private boolean rollupAnswers(UsageFilter filter) {
        return List.of(Dimension.TEAM, Dimension.WORKFLOW, Dimension.TASK_TYPE).containsAll(Where.filteredDimensions(filter))
                && upgrade.promptsReady();
    }

    private static final String RAW_COLUMNS;

    static {
        List<Integer> b = PromptStats.BAND_BOUNDS;
        String band = "CAST(CASE WHEN input_tokens IS NULL THEN -1 WHEN input_tokens < " + b.get(0) + " THEN 0 WHEN input_tokens < "
                + b.get(1) + " THEN 1 WHEN input_tokens < " + b.get(2) + " THEN 2 ELSE 3 END AS SMALLINT)";
        RAW_COLUMNS = "COALESCE(workflow, '') AS workflow, task_type, COALESCE(prompt_template, '') AS prompt_template, "
                + "COALESCE(prompt_version, '') AS prompt_version, " + band + " AS band, "
                + String.join(", ", java.util.stream.IntStream.range(0, RAW.size()).mapToObj(i -> RAW.get(i) + " AS " + COLUMNS.get(i)).toList());
    }

    private List<PromptStats.Cell> cellsOf(TimeWindow window, UsageFilter filter, long watermark) {
        String rollupColumns = GROUP + ", " + String.join(", ", COLUMNS);
        WindowPlan plan = WindowPlan.of(window.from(), window.to(), PromptRollup.GRAINS, rollupAnswers(filter) ? Grain.DAY : null);
        List<String> selects = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (WindowPlan.Part part : plan.parts()) {
            if (part.grain() == null) {
                Where where = Where.folded(part.from(), part.to(), filter);
                selects.add("SELECT " + RAW_COLUMNS + Where.foldedRecords(engine) + where.sql());
                params.addAll(where.params());
            } else {
                Where where = Where.narrowing(filter).and("grain = ?", part.grain().code).and("bucket >= ?", Where.utc(part.from()))
                        .and("bucket < ?", Where.utc(part.to()));
                selects.add("SELECT " + rollupColumns + " FROM " + PromptRollup.TABLE + where.sql());
                params.addAll(where.params());
            }
        }
        return query(selects, params, window, filter, watermark);
    }

    /** The sums of the parts {@code selects} (their parameters in {@code params}) and of the records above {@code watermark}. */
    private List<PromptStats.Cell> query(List<String> parts, List<Object> partParams, TimeWindow window, UsageFilter filter, long watermark) {
        List<String> selects = new ArrayList<>(parts);
        List<Object> params = new ArrayList<>(partParams);
        Where unfolded = Where.unfolded(window.from(), window.to(), filter, watermark);
        selects.add("SELECT " + RAW_COLUMNS + " FROM usage_record" + unfolded.sql());
        params.addAll(unfolded.params());
        String sql = "SELECT " + GROUP + ", " + String.join(", ", COLUMNS.stream().map(c -> c.equals("first_seen") ? "MIN(first_seen)" : "SUM(" + c + ")").toList())
                + " FROM (" + String.join(" UNION ALL ", selects) + ") r GROUP BY " + GROUP;
        return jdbc.prepareStatement(sql, statement -> {
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            return QueryBudget.query(engine, statement, rs -> {
                List<PromptStats.Cell> cells = new ArrayList<>();
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    cells.add(new PromptStats.Cell(none(rs.getString(1)), rs.getString(2), none(rs.getString(3)), none(rs.getString(4)),
                            rs.getInt(5), rs.getLong(6), decimal(rs, 7), rs.getLong(8), decimal(rs, 9), rs.getDouble(10), rs.getLong(11),
                            rs.getObject(12, OffsetDateTime.class).toInstant(),
                            rs.getLong(13), rs.getDouble(14), rs.getDouble(15), rs.getDouble(16), rs.getDouble(17), rs.getDouble(18),
                            rs.getLong(19), rs.getDouble(20), rs.getDouble(21), rs.getDouble(22), rs.getDouble(23), rs.getDouble(24)));
                }
                return cells;
            });
        });
    }

    /** "None" in the rollup's form. */
    private static String stored(String value) {
        return value == null ? RollupWriter.NONE : value;
    }

    /** '' in the rollup's form is "none". */
    private static String none(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static BigDecimal decimal(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : value;
    }
}
