package dev.aiusage.store;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt insights' reads. They group by input size and template, which the rollups do not keep, so they
 * scan the window's raw records (by the time index) under the request's time budget.
 */
@Singleton
public class PromptAggregates {
    private static final String GROUP = "workflow, task_type, prompt_template";

    private final JdbcOperations jdbc;

    public PromptAggregates(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @ReadOnly
    public List<PromptStats.Band> bands(TimeWindow window, UsageFilter filter) {
        Where where = Where.of(window.from(), window.to(), filter);
        List<Integer> b = PromptStats.BAND_BOUNDS;
        String band = "CASE WHEN input_tokens IS NULL THEN -1 WHEN input_tokens < " + b.get(0) + " THEN 0 WHEN input_tokens < "
                + b.get(1) + " THEN 1 WHEN input_tokens < " + b.get(2) + " THEN 2 ELSE 3 END";
        String sql = "SELECT " + GROUP + ", band, COUNT(*), SUM(cost_usd), COUNT(quality_score), SUM(quality_score) FROM (SELECT "
                + GROUP + ", " + band + " AS band, cost_usd, quality_score FROM usage_record" + where.sql() + ") r GROUP BY "
                + GROUP + ", band";
        return run(sql, where, rs -> new PromptStats.Band(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getLong(5), decimal(rs, 6), rs.getLong(7), decimal(rs, 8)));
    }

    @ReadOnly
    public List<PromptStats.Moments> moments(TimeWindow window, UsageFilter filter) {
        Where where = Where.of(window.from(), window.to(), filter).and("input_tokens IS NOT NULL");
        String x = "CAST(input_tokens AS DOUBLE PRECISION)";
        String c = "CAST(cost_usd AS DOUBLE PRECISION)";
        String q = "CAST(quality_score AS DOUBLE PRECISION)";
        String scored = "quality_score IS NOT NULL";
        String sql = "SELECT " + GROUP + ", COUNT(*), SUM(" + x + "), SUM(" + x + " * " + x + "), SUM(" + c + "), SUM(" + c + " * " + c
                + "), SUM(" + x + " * " + c + "), COUNT(quality_score), "
                + "SUM(CASE WHEN " + scored + " THEN " + x + " ELSE 0 END), SUM(CASE WHEN " + scored + " THEN " + x + " * " + x + " ELSE 0 END), "
                + "SUM(" + q + "), SUM(" + q + " * " + q + "), SUM(" + x + " * " + q + ") FROM usage_record" + where.sql()
                + " GROUP BY " + GROUP;
        return run(sql, where, rs -> new PromptStats.Moments(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getLong(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9),
                rs.getLong(10), rs.getDouble(11), rs.getDouble(12), rs.getDouble(13), rs.getDouble(14), rs.getDouble(15)));
    }

    @ReadOnly
    public List<PromptStats.Version> versions(TimeWindow window, UsageFilter filter) {
        Where where = Where.of(window.from(), window.to(), filter).and("prompt_template IS NOT NULL");
        String sql = "SELECT " + GROUP + ", prompt_version, COUNT(*), SUM(cost_usd), COUNT(quality_score), SUM(quality_score), "
                + "AVG(CAST(prompt_chars AS DOUBLE PRECISION)), MIN(ts) FROM usage_record" + where.sql()
                + " GROUP BY " + GROUP + ", prompt_version";
        return run(sql, where, rs -> new PromptStats.Version(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), decimal(rs, 6), rs.getLong(7), decimal(rs, 8), rs.getObject(9, Double.class),
                rs.getObject(10, OffsetDateTime.class).toInstant()));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> run(String sql, Where where, Row<T> row) {
        return jdbc.prepareStatement(sql, (PreparedStatement statement) -> {
            where.bind(statement, 1);
            return QueryBudget.query(statement, rs -> {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            });
        });
    }

    private static BigDecimal decimal(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : value;
    }
}
