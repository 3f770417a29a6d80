package dev.aiusage.store;

import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every read that scans records: grouped sums, day buckets and keyset pages. The SQL is built here (filters
 * are dynamic), runs in the database, and stays portable between H2 and PostgreSQL.
 */
@Singleton
public class UsageAggregates {
    private static final String RECORD_COLUMNS = "id, ts, provider, model, team, user_name, task_type, workflow, "
            + "input_tokens, output_tokens, cost_usd, latency_ms, quality_score, passed_quality, request_id, session_id";

    private final JdbcOperations jdbc;

    public UsageAggregates(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Sums and counts per combination of {@code groupBy} values in the window.
     *
     * @param scoredOnly keep only records with a quality score
     */
    @ReadOnly
    public List<GroupStats> groupStats(TimeWindow window, UsageFilter filter, List<Dimension> groupBy, boolean scoredOnly) {
        Where where = Where.of(window.from(), window.to(), filter);
        if (scoredOnly) {
            where.and("quality_score IS NOT NULL");
        }
        String columns = groupBy.stream().map(d -> d.column).collect(Collectors.joining(", "));
        String sql = "SELECT " + columns + ", COUNT(*), SUM(cost_usd), "
                + "SUM(CAST(COALESCE(input_tokens, 0) AS BIGINT) + COALESCE(output_tokens, 0)), "
                + "SUM(CAST(latency_ms AS BIGINT)), COUNT(latency_ms), SUM(quality_score), COUNT(quality_score), "
                + "SUM(CASE WHEN passed_quality THEN 1 ELSE 0 END), COUNT(passed_quality) "
                + "FROM usage_record" + where.sql() + " GROUP BY " + columns;
        return jdbc.prepareStatement(sql, statement -> {
            where.bind(statement, 1);
            List<GroupStats> groups = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                int n = groupBy.size();
                while (rs.next()) {
                    List<String> keys = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        keys.add(rs.getString(i));
                    }
                    groups.add(new GroupStats(keys, rs.getLong(n + 1), zeroIfNull(rs.getBigDecimal(n + 2)),
                            rs.getLong(n + 3), rs.getLong(n + 4), rs.getLong(n + 5),
                            zeroIfNull(rs.getBigDecimal(n + 6)), rs.getLong(n + 7), rs.getLong(n + 8), rs.getLong(n + 9)));
                }
            }
            return groups;
        });
    }

    /**
     * Cost, calls and active teams per calendar day of {@code zone}, only for days that have records. The
     * local day is computed as whole days since the epoch of the instant shifted by the zone's offset; the
     * offset is a CASE over the zone's transitions inside the window, so daylight-saving days come out right
     * without touching the session's time zone.
     */
    @ReadOnly
    public List<DayStats> dailyStats(TimeWindow window, UsageFilter filter, ZoneId zone) {
        Where where = Where.of(window.from(), window.to(), filter);
        List<Object> transitionParams = new ArrayList<>();
        String offset = offsetExpression(window, zone, transitionParams);
        String sql = "SELECT day_no, SUM(cost_usd), COUNT(*), COUNT(DISTINCT team) FROM ("
                + "SELECT FLOOR((EXTRACT(EPOCH FROM ts) + " + offset + ") / 86400) AS day_no, cost_usd, team "
                + "FROM usage_record" + where.sql() + ") days GROUP BY day_no ORDER BY day_no";
        return jdbc.prepareStatement(sql, statement -> {
            int index = 1;
            for (Object param : transitionParams) {
                statement.setObject(index++, param);
            }
            where.bind(statement, index);
            List<DayStats> days = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    days.add(new DayStats(LocalDate.ofEpochDay(rs.getLong(1)), zeroIfNull(rs.getBigDecimal(2)),
                            rs.getLong(3), rs.getInt(4)));
                }
            }
            return days;
        });
    }

    private static String offsetExpression(TimeWindow window, ZoneId zone, List<Object> params) {
        var rules = zone.getRules();
        StringBuilder sql = new StringBuilder("CASE");
        Instant at = window.from();
        ZoneOffsetTransition next = rules.nextTransition(at);
        int offset = rules.getOffset(at).getTotalSeconds();
        while (next != null && next.getInstant().isBefore(window.to())) {
            sql.append(" WHEN ts < ? THEN ").append(offset);
            params.add(Where.utc(next.getInstant()));
            offset = next.getOffsetAfter().getTotalSeconds();
            next = rules.nextTransition(next.getInstant());
        }
        return params.isEmpty() ? String.valueOf(offset) : sql.append(" ELSE ").append(offset).append(" END").toString();
    }

    /**
     * One keyset page, newest first: the {@code limit} records after {@code after} (or from the newest).
     * Costs the same on page 1,000 as on page 1.
     */
    @ReadOnly
    public List<UsageRecord> page(Instant from, Instant to, UsageFilter filter, RecordCursor after, int limit) {
        Where where = Where.of(from, to, filter);
        if (after != null) {
            OffsetDateTime ts = Where.utc(after.ts());
            where.and("(ts < ? OR (ts = ? AND id < ?))", ts, ts, after.id());
        }
        String sql = "SELECT " + RECORD_COLUMNS + " FROM usage_record" + where.sql() + " ORDER BY ts DESC, id DESC LIMIT ?";
        return jdbc.prepareStatement(sql, statement -> {
            int index = where.bind(statement, 1);
            statement.setInt(index, limit);
            List<UsageRecord> records = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    records.add(readRecord(rs));
                }
            }
            return records;
        });
    }

    private static UsageRecord readRecord(ResultSet rs) throws SQLException {
        return new UsageRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, Integer.class), rs.getObject(10, Integer.class), rs.getBigDecimal(11),
                rs.getObject(12, Integer.class), rs.getBigDecimal(13), rs.getObject(14, Boolean.class),
                rs.getString(15), rs.getString(16));
    }

    private static BigDecimal zeroIfNull(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
