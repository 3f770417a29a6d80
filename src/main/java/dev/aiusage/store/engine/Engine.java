package dev.aiusage.store.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
     * Runs one ingest transaction. Any number run at once; {@link #quiesced} waits for those in flight.
     */
    <T> T ingesting(Supplier<T> transaction);

    /**
     * Runs a short {@code action} while no ingest transaction is in flight, so that it sees every record any
     * finished ingest stored and none that a later one will: the fold takes its upper bound this way, and the
     * records up to it are then all committed, with no id below it still to come.
     */
    <T> T quiesced(Supplier<T> action);

    /**
     * When less than {@code livePercent} of the database file holds live data, gives some space back, spending
     * up to {@code budget}; true while more is worth reclaiming (call again). False where the engine does that
     * by itself or there is nothing worth reclaiming.
     */
    boolean reclaimSpace(Duration budget, int livePercent);
}
