package dev.aiusage.store.engine;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A PostgreSQL server (15 or newer), for installs that outgrow one process; chosen by a
 * {@code jdbc:postgresql:} datasource URL.
 *
 * <p>The per-read time budget is PostgreSQL's own {@code statement_timeout}, set with {@code SET LOCAL} in the
 * read's transaction (so it can never outlive it on a pooled connection) and reset after the statement.
 *
 * <p>Ingest and the fold's bound exclude each other across every instance on the database, not only in this
 * process: each ingest transaction holds a shared transaction-level advisory lock, and the fold takes the same
 * lock exclusively while it reads the highest id, so no record below its bound can still be uncommitted in
 * another instance. The JVM lock beside it guards what this process keeps in memory (the unfolded request ids).
 *
 * <p>Disk: PostgreSQL's autovacuum reuses dead space by itself, so there is nothing to compact here.
 */
@Context
@Requires(property = "datasources.default.url", pattern = "jdbc:postgresql:.*")
public class PostgresEngine implements Engine {
    /** The advisory lock key of ingest against the fold's bound ("aiusage" in ASCII, as a number). */
    static final long INGEST_LOCK = 0x61697573616765L;

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final ReentrantReadWriteLock ingestOrFold = new ReentrantReadWriteLock(true);

    PostgresEngine(JdbcOperations jdbc, TransactionOperations<Connection> transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public <T> T withStatementTimeout(Connection connection, int millis, SqlWork<T> work) throws SQLException {
        String scope = connection.getAutoCommit() ? "SET" : "SET LOCAL";
        try (Statement statement = connection.createStatement()) {
            statement.execute(scope + " statement_timeout = " + Math.max(1, millis));
        }
        try {
            return work.run();
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute(scope + " statement_timeout = DEFAULT");
            } catch (SQLException aborted) {
                // the timeout aborted the transaction: its rollback discards the SET LOCAL as well
                if (connection.getAutoCommit()) {
                    throw aborted;
                }
            }
        }
    }

    @Override
    public <T> T ingesting(Supplier<T> transaction) {
        ingestOrFold.readLock().lock();
        try {
            return transactions.executeWrite(status -> {
                advisoryLock("pg_advisory_xact_lock_shared");
                return transaction.get();
            });
        } finally {
            ingestOrFold.readLock().unlock();
        }
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        ingestOrFold.writeLock().lock();
        try {
            return transactions.executeWrite(status -> {
                advisoryLock("pg_advisory_xact_lock");
                return action.get();
            });
        } finally {
            ingestOrFold.writeLock().unlock();
        }
    }

    private void advisoryLock(String function) {
        jdbc.prepareStatement("SELECT " + function + "(?)", statement -> {
            statement.setLong(1, INGEST_LOCK);
            return statement.execute();
        });
    }

    @Override
    public boolean reclaimSpace(Duration budget, int livePercent) {
        return false;
    }
}
