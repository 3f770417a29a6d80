package dev.aiusage.store;

import dev.aiusage.domain.QueryTimeoutException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

import java.sql.Connection;
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
 * <p>The timeout is the H2 session's query timeout in milliseconds, set on the session object before the
 * statement and cleared after it, so a pooled connection never carries it to its next user. H2 then stops the
 * statement itself (SQLSTATE 57014) once the time is up. Two other ways were measured and rejected: the SQL
 * {@code SET QUERY_TIMEOUT} (also what JDBC {@code setQueryTimeout} sends) makes H2 recompile every cached
 * statement of every session, which made each read about ten times slower; a {@code Statement.cancel()} from a
 * timer thread can land just after the statement ended and then stops the next use of the same cached
 * statement. The PostgreSQL step sets {@code statement_timeout} instead (SQLSTATE 57014 as well).
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

    /** Executes {@code statement} and reads its rows, stopped by the database if the deadline passes. */
    static <T> T query(PreparedStatement statement, Reader<T> reader) throws SQLException {
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
        SessionLocal session = h2Session(statement.getConnection());
        session.setQueryTimeout((int) Math.min(left, Integer.MAX_VALUE));
        try (ResultSet rs = statement.executeQuery()) {
            return reader.read(rs);
        } catch (SQLException e) {
            if (CANCELED.equals(e.getSQLState())) {
                throw new QueryTimeoutException(deadline.budget());
            }
            throw e;
        } finally {
            session.setQueryTimeout(0);
        }
    }

    /** The embedded H2 session behind a (pooled) connection: the only database this build runs on. */
    private static SessionLocal h2Session(Connection connection) throws SQLException {
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session;
        }
        throw new IllegalStateException("the query time budget needs an embedded H2 database");
    }
}
