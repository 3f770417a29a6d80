package dev.aiusage.store;

import dev.aiusage.domain.UsageFilter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause over {@code usage_record} built from a window and a filter. Values are always bound as
 * parameters; only fixed column names ever enter the SQL text.
 */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Records with {@code from <= ts < to}; a null bound leaves that side open. */
    static Where of(Instant from, Instant to, UsageFilter filter) {
        Where where = new Where();
        if (from != null) {
            where.and("ts >= ?", utc(from));
        }
        if (to != null) {
            where.and("ts < ?", utc(to));
        }
        where.in(Dimension.TEAM, filter.teams());
        where.in(Dimension.USER, filter.users());
        where.in(Dimension.PROVIDER, filter.providers());
        where.in(Dimension.MODEL, filter.models());
        where.in(Dimension.WORKFLOW, filter.workflows());
        where.in(Dimension.TASK_TYPE, filter.taskTypes());
        return where;
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

    /** The dimensions a filter narrows, which a rollup cube must have to answer it. */
    static List<Dimension> filteredDimensions(UsageFilter filter) {
        List<Dimension> dimensions = new ArrayList<>();
        if (!filter.teams().isEmpty()) {
            dimensions.add(Dimension.TEAM);
        }
        if (!filter.users().isEmpty()) {
            dimensions.add(Dimension.USER);
        }
        if (!filter.providers().isEmpty()) {
            dimensions.add(Dimension.PROVIDER);
        }
        if (!filter.models().isEmpty()) {
            dimensions.add(Dimension.MODEL);
        }
        if (!filter.workflows().isEmpty()) {
            dimensions.add(Dimension.WORKFLOW);
        }
        if (!filter.taskTypes().isEmpty()) {
            dimensions.add(Dimension.TASK_TYPE);
        }
        return dimensions;
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
