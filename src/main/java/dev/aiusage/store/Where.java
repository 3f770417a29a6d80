package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import dev.aiusage.domain.UsageFilter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A WHERE clause over {@code usage_record} built from a window and a filter: over the folded records (by the
 * time table) or over those above the fold watermark (by the primary key). A read that needs both runs them
 * {@link RollupFolder#consistently}. Values are always bound as parameters; only fixed column names ever enter
 * the SQL text.
 */
final class Where {
    /** Which list of a filter narrows which dimension. */
    private static final Map<Dimension, Function<UsageFilter, List<String>>> FILTER_LISTS = new EnumMap<>(Map.of(
            Dimension.TEAM, UsageFilter::teams,
            Dimension.USER, UsageFilter::users,
            Dimension.PROVIDER, UsageFilter::providers,
            Dimension.MODEL, UsageFilter::models,
            Dimension.WORKFLOW, UsageFilter::workflows,
            Dimension.TASK_TYPE, UsageFilter::taskTypes));

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /**
     * The folded records, found by time: {@code record_time} holds {@code (at, record_id)} for every record up to
     * the fold watermark, written by the fold in the same transaction that moves it. Its columns are named apart
     * from {@code usage_record}'s, so the records' columns stay unqualified. Used with {@link #folded}. How the
     * two are joined is the engine's ({@link Engine#recordsByTime}): by id on H2, by id and time on PostgreSQL.
     */
    static String foldedRecords(Engine engine) {
        return " FROM record_time JOIN usage_record ON " + engine.recordsByTime();
    }

    /**
     * Folded records with {@code from <= ts < to} (a null bound leaves that side open), read through the time
     * table: after {@link #foldedRecords}. The records above the watermark are {@link #unfolded}'s.
     */
    static Where folded(Instant from, Instant to, UsageFilter filter) {
        Where where = new Where();
        if (from != null) {
            where.and("at >= ?", utc(from));
        }
        if (to != null) {
            where.and("at < ?", utc(to));
        }
        return where.narrowedBy(filter);
    }

    /**
     * The time column in a form no index matches, so that a scan of the records above the fold watermark goes
     * by the primary key (a few recent records) and not by the time index (every record of the window).
     */
    static final String UNINDEXED_TS = "COALESCE(ts, ts)";

    /** Records with an id above {@code watermark} (a given one) and {@code from <= ts < to}, read by the primary key. */
    static Where unfolded(Instant from, Instant to, UsageFilter filter, long watermark) {
        return above(watermarkBound(watermark), from, to, filter);
    }

    /**
     * The lower bound of the records above the watermark in SQL: the value read ({@link RollupFolder#atWatermark}),
     * or, for {@code Long.MIN_VALUE} (none read), the subquery, consistent within its statement.
     */
    static String watermarkBound(long watermark) {
        return watermark == Long.MIN_VALUE ? RollupFolder.WATERMARK : String.valueOf(watermark);
    }

    private static Where above(String watermark, Instant from, Instant to, UsageFilter filter) {
        Where where = new Where();
        where.and("id > " + watermark);
        if (from != null) {
            where.and(UNINDEXED_TS + " >= ?", utc(from));
        }
        if (to != null) {
            where.and(UNINDEXED_TS + " < ?", utc(to));
        }
        return where.narrowedBy(filter);
    }

    /** The filter's conditions alone, over any table with the dimensions' columns (a rollup cube). */
    static Where narrowing(UsageFilter filter) {
        return new Where().narrowedBy(filter);
    }

    private Where narrowedBy(UsageFilter filter) {
        FILTER_LISTS.forEach((dimension, values) -> in(dimension, values.apply(filter)));
        return this;
    }

    Where and(String condition, Object... values) {
        conditions.add(condition);
        params.addAll(List.of(values));
        return this;
    }

    private void in(Dimension dimension, List<String> values) {
        if (!values.isEmpty()) {
            and(dimension.column + " IN (" + String.join(", ", values.stream().map(v -> "?").toList()) + ")",
                    values.toArray());
        }
    }

    /** Whether a combination of {@code dimensions}' values (rollup form, '' for none) passes the filter. */
    static boolean matches(UsageFilter filter, List<Dimension> dimensions, List<String> values) {
        for (int i = 0; i < dimensions.size(); i++) {
            List<String> allowed = FILTER_LISTS.get(dimensions.get(i)).apply(filter);
            if (!allowed.isEmpty() && !allowed.contains(values.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a stored record passes the filter: every list the filter narrows by holds the record's value. */
    static boolean matches(UsageFilter filter, UsageRecord record) {
        for (Map.Entry<Dimension, Function<UsageFilter, List<String>>> list : FILTER_LISTS.entrySet()) {
            List<String> allowed = list.getValue().apply(filter);
            if (!allowed.isEmpty() && !allowed.contains(RollupWriter.valueOf(record, list.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The dimensions a filter narrows, which a rollup cube must have to answer it. */
    static List<Dimension> filteredDimensions(UsageFilter filter) {
        return FILTER_LISTS.entrySet().stream().filter(e -> !e.getValue().apply(filter).isEmpty()).map(Map.Entry::getKey).toList();
    }

    List<Object> params() {
        return params;
    }

    String sql() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the parameters from index {@code first}; returns the next free index. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        int index = first;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
