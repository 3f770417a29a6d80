package dev.aiusage.store;

import dev.aiusage.domain.QueryTimeoutException;
import dev.aiusage.store.engine.Engine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The time one client request may spend reading. An entry point (a GraphQL read field, a REST endpoint) runs
 * its work {@link #within} the request's {@link Deadline} (from {@link ReadBudget}); every read statement of
 * {@link UsageAggregates} and {@link PromptAggregates} run under it gets the time that is left as the database's own statement timeout, so the database stops the scan at the
 * deadline instead of the answer being abandoned while the work goes on. A statement that would start after
 * the deadline is not run at all. Work outside any deadline (ingest, the rollup rebuild) has no timeout.
 *
 * <p>The timeout is set and cleared around the statement by the {@link Engine}, so a pooled connection never
 * carries it to its next user; the database then stops the statement itself (SQLSTATE 57014) once the time is
 * up. A {@code Statement.cancel()} from a timer thread was measured and rejected: it can land just after the
 * statement ended and then stops the next use of the same cached statement.
 */
public final class QueryBudget {
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();
    /** SQLSTATE query_canceled, in H2 and PostgreSQL alike. */
    private static final String CANCELED = "57014";

    private QueryBudget() {
    }

    /** When the reads of one request must be done, and the budget that set it. */
    public record Deadline(long atNanos, Duration budget) {
        public static Deadline after(Duration budget) {
            return new Deadline(System.nanoTime() + budget.toNanos(), budget);
        }

        long remainingMillis() {
            return Math.floorDiv(atNanos - System.nanoTime(), 1_000_000L);
        }
    }

    /** Work that may throw, so fetchers and controllers can be wrapped as they are. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code work} with {@code deadline} governing its statements on this thread. An enclosing deadline,
     * if there is one, stays in force: a request has one budget however its work is nested.
     */
    public static <T, E extends Exception> T within(Deadline deadline, Work<T, E> work) throws E {
        if (deadline == null || CURRENT.get() != null) {
            return work.run();
        }
        CURRENT.set(deadline);
        try {
            return work.run();
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * Stops work done in memory (reading rows, grouping, ranking, building the answer) once the request's
     * deadline has passed, as the database stops a statement: called once per row or group, it costs a
     * thread-local read and a clock read.
     */
    public static void checkpoint() {
        Deadline deadline = CURRENT.get();
        if (deadline != null && deadline.atNanos() - System.nanoTime() <= 0) {
            throw new QueryTimeoutException(deadline.budget());
        }
    }

    /** Executes {@code statement} and reads its rows, stopped by the database if the deadline passes. */
    static <T> T query(Engine engine, PreparedStatement statement, Reader<T> reader) throws SQLException {
        Deadline deadline = CURRENT.get();
        if (deadline == null) {
            try (ResultSet rs = statement.executeQuery()) {
                return reader.read(rs);
            }
        }
        long left = deadline.remainingMillis();
        if (left <= 0) {
            throw new QueryTimeoutException(deadline.budget());
        }
        try {
            return engine.withStatementTimeout(statement.getConnection(), (int) Math.min(left, Integer.MAX_VALUE), () -> {
                try (ResultSet rs = statement.executeQuery()) {
                    return reader.read(rs);
                }
            });
        } catch (SQLException e) {
            if (CANCELED.equals(e.getSQLState())) {
                throw new QueryTimeoutException(deadline.budget());
            }
            throw e;
        }
    }
}
