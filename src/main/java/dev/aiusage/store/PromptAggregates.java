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
import java.util.List;

/**
 * The prompt insights' read. It groups by input size and template, which the rollups do not keep, so it scans
 * the window's raw records (by the time index), once, under the request's time budget.
 */
@Singleton
public class PromptAggregates {
    private static final String GROUP = "workflow, task_type, prompt_template, prompt_version, band";

    private final JdbcOperations jdbc;
    private final Engine engine;
    private final RollupFolder folder;
    private final RawHorizon horizon;

    public PromptAggregates(JdbcOperations jdbc, Engine engine, RollupFolder folder, RawHorizon horizon) {
        this.horizon = horizon;
        this.jdbc = jdbc;
        this.engine = engine;
        this.folder = folder;
    }

    @ReadOnly
    public List<PromptStats.Cell> cells(TimeWindow window, UsageFilter filter) {
        // prompt insights scan the window's raw records
        horizon.require(window.from(), "from");
        return folder.consistently(() -> cellsOf(window, filter));
    }

    private List<PromptStats.Cell> cellsOf(TimeWindow window, UsageFilter filter) {
        return folder.atWatermark(watermark -> cellsOf(window, filter, watermark));
    }

    private List<PromptStats.Cell> cellsOf(TimeWindow window, UsageFilter filter, long watermark) {
        Where folded = Where.folded(window.from(), window.to(), filter);
        Where unfolded = Where.unfolded(window.from(), window.to(), filter, watermark);
        List<Integer> b = PromptStats.BAND_BOUNDS;
        String band = "CASE WHEN input_tokens IS NULL THEN -1 WHEN input_tokens < " + b.get(0) + " THEN 0 WHEN input_tokens < "
                + b.get(1) + " THEN 1 WHEN input_tokens < " + b.get(2) + " THEN 2 ELSE 3 END";
        String columns = "SELECT workflow, task_type, prompt_template, prompt_version, " + band + " AS band, ts, cost_usd, quality_score, "
                + "CAST(prompt_chars AS DOUBLE PRECISION) AS chars, CAST(input_tokens AS DOUBLE PRECISION) AS x, "
                + "CAST(cost_usd AS DOUBLE PRECISION) AS c, CAST(quality_score AS DOUBLE PRECISION) AS q";
        String rows = columns + Where.foldedRecords(engine) + folded.sql() + " UNION ALL " + columns + " FROM usage_record" + unfolded.sql();
        // x is null exactly when the band is -1; SUM skips nulls, so the x-sums cover the calls that sent input tokens
        String sql = "SELECT " + GROUP + ", COUNT(*), SUM(cost_usd), COUNT(quality_score), SUM(quality_score), SUM(chars), COUNT(chars), "
                + "MIN(ts), COUNT(x), SUM(x), SUM(x * x), SUM(CASE WHEN x IS NOT NULL THEN c END), SUM(CASE WHEN x IS NOT NULL THEN c * c END), "
                + "SUM(x * c), COUNT(x * q), SUM(CASE WHEN q IS NOT NULL THEN x END), SUM(CASE WHEN q IS NOT NULL THEN x * x END), "
                + "SUM(CASE WHEN x IS NOT NULL THEN q END), SUM(CASE WHEN x IS NOT NULL THEN q * q END), SUM(x * q) "
                + "FROM (" + rows + ") r GROUP BY " + GROUP;
        return jdbc.prepareStatement(sql, statement -> {
            unfolded.bind(statement, folded.bind(statement, 1));
            return QueryBudget.query(engine, statement, rs -> {
                List<PromptStats.Cell> cells = new ArrayList<>();
                while (rs.next()) {
                    QueryBudget.checkpoint();
                    cells.add(new PromptStats.Cell(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getLong(6), decimal(rs, 7), rs.getLong(8), decimal(rs, 9), rs.getDouble(10), rs.getLong(11),
                            rs.getObject(12, OffsetDateTime.class).toInstant(),
                            rs.getLong(13), rs.getDouble(14), rs.getDouble(15), rs.getDouble(16), rs.getDouble(17), rs.getDouble(18),
                            rs.getLong(19), rs.getDouble(20), rs.getDouble(21), rs.getDouble(22), rs.getDouble(23), rs.getDouble(24)));
                }
                return cells;
            });
        });
    }

    private static BigDecimal decimal(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : value;
    }
}
