package dev.aiusage.store.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What differs between the databases the store runs on, in one small interface: the store's SQL is portable
 * and calls these where it is not. One implementation is chosen by configuration (the datasource URL); code
 * above {@code store} never names a database: the embedded H2 ({@link H2Engine}) and PostgreSQL ({@link PostgresEngine}).
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

    /**
     * Called first in every fold transaction: where several instances share the database, waits until no other
     * instance's fold transaction is open, so that each reads the watermark the last one left. Nothing for an
     * engine that has one process.
     */
    default void beginFold() {
    }

    /**
     * Whether several instances may share the database: then each follows the folds the others commit (its
     * in-memory index learns their records) rather than only its own.
     */
    default boolean sharedByInstances() {
        return false;
    }

    /**
     * Whether ingest claims each request id in the database, in its own transaction ({@link #claimRequestKeys}),
     * so that instances sharing the database see each other's ids at once; otherwise the process keeps the ids
     * of records not folded yet in memory and the fold writes them to {@code request_key}.
     */
    default boolean claimsRequestKeys() {
        return false;
    }

    /**
     * Claims, in the caller's transaction, the (team, request id) pairs given in sorted order, and returns those
     * no record holds yet. A pair that a transaction in flight claimed waits for it: taken if that one commits,
     * free if it rolls back. Only where {@link #claimsRequestKeys}.
     */
    default Set<List<String>> claimRequestKeys(List<List<String>> teamAndId) {
        throw new UnsupportedOperationException("this engine keeps request ids in memory");
    }

    /**
     * Whether the engine has a bulk path for appending rows ({@link #copyIn}) that beats a JDBC batch of
     * single-row inserts; otherwise the repository inserts them.
     */
    default boolean bulkLoads() {
        return false;
    }

    /**
     * Appends {@code rows} (values in the order of {@code columns}: strings, numbers, booleans, instants or
     * nulls) to {@code table} in the caller's transaction, and returns how many. Only where {@link #bulkLoads}.
     */
    default long copyIn(String table, List<String> columns, List<Object[]> rows) {
        throw new UnsupportedOperationException("this engine has no bulk load");
    }

    /**
     * Adds {@code rows} (key values, then measure values, then the value of {@code merged}) to {@code table}: each
     * row's measures are added to the stored row with its key, its {@code merged} column (a binary value, or null)
     * becomes {@code merge} of the stored value and its own, or the row is inserted; keys are unique within
     * {@code rows}. Only where {@link #bulkLoads}; in the caller's transaction.
     */
    default void addToRows(String table, List<String> keys, List<String> measures, String merged, List<Object[]> rows,
                           java.util.function.BinaryOperator<byte[]> merge) {
        throw new UnsupportedOperationException("this engine has no bulk load");
    }

    /**
     * Before raw records at {@code timestamps} are stored, outside the storing transaction: where the raw table is
     * partitioned, makes sure their partitions exist. Nothing by default.
     */
    default void prepareAppend(java.util.Collection<java.time.Instant> timestamps) {
    }

    /**
     * Drops, whole, the raw records of every partition that lies before {@code rawFrom} and holds only folded
     * records (ids up to {@code foldedThrough}), with their time-table rows; returns how many records went. 0
     * where the raw table is not partitioned; what remains is deleted row by row.
     */
    default long dropRawBefore(java.time.Instant rawFrom, long foldedThrough) {
        return 0;
    }

    /**
     * After a fold step committed {@code folded} records, outside any transaction: keeps the planner's statistics
     * of the raw records and the time table current where the database does not do so by itself. Nothing by default.
     */
    default void folded(long folded) {
    }

    /**
     * The condition that joins the time table ({@code at, record_id}) to the raw records. By id: H2 then walks
     * the time table's range and looks each record up by its key (with the time as well it drove from the raw
     * table and scanned it whole: 570 ms against 127 ms for a day of 300K records).
     */
    default String recordsByTime() {
        return "id = record_id";
    }

    /**
     * The time table joined to the raw records for a read that walks the time table in order and stops early (a
     * page of records): each record looked up as its time entry is reached. On H2 the plain join does that.
     */
    default String recordsInTimeOrder() {
        return " FROM record_time JOIN usage_record ON " + recordsByTime();
    }
}
