package dev.aiusage.store.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What differs between the databases the store runs on, in one small interface: the store's SQL is portable
 * and calls these where it is not. One implementation is chosen by configuration (the datasource URL); code
 * above {@code store} never names a database. Today the embedded H2 ({@link H2Engine}); PostgreSQL plugs in here.
 */
public interface Engine {

    /** Statement work that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} on {@code connection} with the database's own statement timeout set to {@code millis},
     * and leaves the connection without one afterwards, whatever happens. A statement stopped by the timeout
     * fails with SQLSTATE 57014.
     */
    <T> T withStatementTimeout(Connection connection, int millis, SqlWork<T> work) throws SQLException;

    /**
     * An upsert of one row that adds its measures to an existing row with the same key, or inserts it: with
     * {@code ?} parameters in the order keys, then measures. {@code casts} give each column's SQL type, in the
     * same order.
     */
    String upsertAddingSql(String table, List<String> keys, List<String> measures, List<String> casts);

    /** The first of {@code n} new record ids, never given before on this database; the others follow it. */
    long allocateIds(int n);

    /**
     * Runs one ingest transaction. Any number run at once, but never while {@link #folding} runs, so that a
     * fold sees every committed append and no append can race the fold's move of a request id.
     */
    <T> T ingesting(Supplier<T> transaction);

    /** Runs one fold transaction, alone: no ingest transaction and no other fold runs meanwhile. */
    <T> T folding(Supplier<T> transaction);

    /**
     * Gives free space in the database file back, for up to {@code budget}. A no-op where the engine does that
     * by itself.
     */
    void compact(Duration budget);

    /** Bytes the database takes on disk, or -1 where that is not known (a server database, an in-memory one). */
    long diskBytes();
}
