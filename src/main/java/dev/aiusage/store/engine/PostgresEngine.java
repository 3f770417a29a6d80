package dev.aiusage.store.engine;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p>Idempotency across instances: an ingest transaction claims its request ids in {@code request_key} itself
 * ({@code INSERT ... ON CONFLICT DO NOTHING RETURNING}), in sorted order so two batches never wait on each other
 * in a circle. PostgreSQL makes a claim of a key that another open transaction claimed wait for it, which is
 * exactly the rule the single-process engine keeps in memory: a retry racing its original is a duplicate if the
 * original commits and stored if it rolls back, whichever instance each reached.
 *
 * <p>One fold transaction at a time across instances ({@link #beginFold}), each reading the watermark the last
 * one left.
 *
 * <p>Ingest appends with {@code COPY ... FROM STDIN} (CSV, written by Commons CSV in PostgreSQL's dialect) in
 * the ingest transaction: one round trip for a batch, where a JDBC batch of inserts returning generated keys
 * costs one per row.
 *
 * <p>The raw records are partitioned by month ({@link RawPartitions}, migration V13): a month's partition is made
 * before its first record is stored, as a table of its own then attached ({@code ATTACH PARTITION} locks the
 * parent far less than {@code CREATE TABLE ... PARTITION OF}, so reads and ingest go on), in a transaction of
 * its own; retention detaches and drops a month whose records are all folded and before the horizon.
 *
 * <p>Disk: PostgreSQL's autovacuum reuses dead space by itself, so there is nothing to compact here.
 */
@Context
@Requires(property = "datasources.default.url", pattern = "jdbc:postgresql:.*")
public class PostgresEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
    private static final Pattern PARTITION = Pattern.compile("usage_record_y(\\d{4})m(\\d{2})");
    /** The advisory lock key of ingest against the fold's bound ("aiusage" in ASCII, as a number). */
    static final long INGEST_LOCK = 0x61697573616765L;
    /** The advisory lock key that lets one fold transaction at a time run across instances. */
    static final long FOLD_LOCK = INGEST_LOCK + 1;
    /** Pairs per INSERT of request keys: 2 parameters each, well under PostgreSQL's 65,535. */
    private static final int CLAIM_CHUNK = 1000;

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

    @Override
    public void beginFold() {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(?)", statement -> {
            statement.setLong(1, FOLD_LOCK);
            return statement.execute();
        });
    }

    @Override
    public boolean bulkLoads() {
        return true;
    }

    @Override
    public long copyIn(String table, List<String> columns, List<Object[]> rows) {
        StringBuilder csv = new StringBuilder(rows.size() * 200);
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.POSTGRESQL_CSV)) {
            for (Object[] row : rows) {
                for (Object value : row) {
                    printer.print(value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC).toString()
                            : value instanceof BigDecimal decimal ? decimal.toPlainString()
                            : value instanceof byte[] bytes ? "\\x" + java.util.HexFormat.of().formatHex(bytes) : value);
                }
                printer.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
        return jdbc.execute(connection -> {
            try {
                return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The rows go into a temporary staging table of the connection by {@code COPY}, then into the table with one
     * {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE} that adds the measures: two round trips a cube, where
     * an UPDATE and an INSERT a row cost one each. Where rows carry a {@code merged} value that the table holds
     * too, one join of the staging table with the table reads the stored values, they are merged here, and one
     * batch of updates puts the merged ones into the staging table (few in time order: the buckets a step shares
     * with the one before).
     */
    @Override
    public void addToRows(String table, List<String> keys, List<String> measures, String merged, List<Object[]> rows,
                          java.util.function.BinaryOperator<byte[]> merge) {
        String staging = "staging_" + table;
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(measures);
        columns.add(merged);
        jdbc.execute(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " (LIKE " + table + " INCLUDING INDEXES)");
                statement.execute("TRUNCATE " + staging);
            }
            return null;
        });
        copyIn(staging, columns, rows);
        int last = columns.size() - 1;
        if (rows.stream().anyMatch(row -> row[last] != null)) {
            Map<List<Object>, Integer> rowByKey = new HashMap<>();
            for (int r = 0; r < rows.size(); r++) {
                if (rows.get(r)[last] != null) {
                    rowByKey.put(java.util.Arrays.asList(rows.get(r)).subList(0, keys.size()), r);
                }
            }
            String join = "SELECT " + String.join(", ", keys.stream().map(k -> "s." + k).toList()) + ", t." + merged + " FROM " + staging
                    + " s JOIN " + table + " t ON " + String.join(" AND ", keys.stream().map(k -> "t." + k + " = s." + k).toList())
                    + " WHERE s." + merged + " IS NOT NULL AND t." + merged + " IS NOT NULL";
            List<Integer> changed = jdbc.execute(connection -> {
                List<Integer> merged1 = new ArrayList<>();
                try (Statement statement = connection.createStatement(); java.sql.ResultSet rs = statement.executeQuery(join)) {
                    while (rs.next()) {
                        List<Object> key = new ArrayList<>(keys.size());
                        key.add(rs.getInt(1));
                        key.add(rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
                        for (int i = 3; i <= keys.size(); i++) {
                            key.add(rs.getString(i));
                        }
                        Integer r = rowByKey.get(key);
                        if (r != null) {
                            Object[] row = rows.get(r);
                            row[last] = merge.apply(rs.getBytes(keys.size() + 1), (byte[]) row[last]);
                            merged1.add(r);
                        }
                    }
                }
                return merged1;
            });
            if (!changed.isEmpty()) {
                // only the rows whose stored value was merged: a batch of updates of the staging table (by its copy of
                // the table's key), sent together
                String update = "UPDATE " + staging + " SET " + merged + " = ? WHERE "
                        + String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
                jdbc.prepareStatement(update, statement -> {
                    for (int r : changed) {
                        Object[] row = rows.get(r);
                        statement.setBytes(1, (byte[]) row[last]);
                        for (int k = 0; k < keys.size(); k++) {
                            Object value = row[k];
                            statement.setObject(k + 2, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
                        }
                        statement.addBatch();
                    }
                    return statement.executeBatch();
                });
            }
        }
        String all = String.join(", ", columns);
        List<String> sets = new ArrayList<>(measures.stream().map(m -> m + " = " + table + "." + m + " + EXCLUDED." + m).toList());
        sets.add(merged + " = COALESCE(EXCLUDED." + merged + ", " + table + "." + merged + ")");
        jdbc.execute(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.executeUpdate("INSERT INTO " + table + " (" + all + ") SELECT " + all + " FROM " + staging
                        + " ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET " + String.join(", ", sets));
            }
        });
    }

    /** Months whose partition is known to exist (or whose records the default partition takes). */
    private final Set<YearMonth> months = ConcurrentHashMap.newKeySet();

    @Override
    public void prepareAppend(Collection<Instant> timestamps) {
        Set<YearMonth> needed = new TreeSet<>();
        for (Instant ts : timestamps) {
            YearMonth month = YearMonth.from(ts.atOffset(ZoneOffset.UTC));
            if (!months.contains(month)) {
                needed.add(month);
            }
        }
        for (YearMonth month : needed) {
            if (!partitionExists(month)) {
                try {
                    transactions.execute(TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW), status -> jdbc.execute(connection -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("CREATE TABLE IF NOT EXISTS " + RawPartitions.name(month) + " (LIKE usage_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                            statement.execute("ALTER TABLE usage_record ATTACH PARTITION " + RawPartitions.name(month) + " FOR VALUES " + RawPartitions.bounds(month));
                        }
                        return null;
                    }));
                } catch (RuntimeException e) {
                    // another instance attached it meanwhile, or rows of the month sit in the default partition
                    // (written by something else than the service), which then goes on taking them
                    LOG.debug("partition of {} not attached: {}", month, e.getMessage());
                }
            }
            months.add(month);
        }
    }

    private boolean partitionExists(YearMonth month) {
        return transactions.executeRead(status -> jdbc.prepareStatement(
                "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_record'::regclass AND c.relname = ?",
                statement -> {
                    statement.setString(1, RawPartitions.name(month));
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next();
                    }
                }));
    }

    @Override
    public long dropRawBefore(Instant rawFrom, long foldedThrough) {
        YearMonth before = YearMonth.from(rawFrom.atOffset(ZoneOffset.UTC));
        List<YearMonth> attached = transactions.executeRead(status -> jdbc.prepareStatement(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_record'::regclass",
                statement -> {
                    List<YearMonth> found = new ArrayList<>();
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            Matcher m = PARTITION.matcher(rs.getString(1));
                            if (m.matches()) {
                                found.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                            }
                        }
                    }
                    return found;
                }));
        long dropped = 0;
        for (YearMonth month : attached) {
            // a whole month before the horizon's month: every record of it lies before the horizon
            if (!month.isBefore(before)) {
                continue;
            }
            String table = RawPartitions.name(month);
            dropped += transactions.executeWrite(status -> jdbc.execute(connection -> {
                try (Statement statement = connection.createStatement()) {
                    long count;
                    try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM " + table)) {
                        rs.next();
                        if (rs.getLong(2) > foldedThrough) {
                            return 0L;  // records not folded yet: the next round
                        }
                        count = rs.getLong(1);
                    }
                    try (PreparedStatement times = connection.prepareStatement("DELETE FROM record_time WHERE at >= ? AND at < ?")) {
                        times.setObject(1, month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
                        times.setObject(2, month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
                        times.executeUpdate();
                    }
                    statement.execute("ALTER TABLE usage_record DETACH PARTITION " + table);
                    statement.execute("DROP TABLE " + table);
                    return count;
                }
            }));
            months.remove(month);
        }
        return dropped;
    }

    /** Records folded since the last ANALYZE, and when that was. */
    private final java.util.concurrent.atomic.AtomicLong foldedSinceAnalyze = new java.util.concurrent.atomic.AtomicLong();
    private volatile long analyzedAt = Long.MIN_VALUE;

    /**
     * Autovacuum never analyzes a partitioned table itself (only its partitions), and the planner needs the
     * parent's statistics to plan the time table's join to the raw records by partition: with none, a daily trend
     * at 1M joined by hashing every partition (204–771 ms, against under a millisecond by the key). So after 10,000
     * folded records, and then every 100,000 at most once a minute, the fold's thread analyzes both (a sample of
     * 30,000 rows each; it blocks neither reads nor writes).
     */
    @Override
    public void folded(long folded) {
        long since = foldedSinceAnalyze.addAndGet(folded);
        long now = System.nanoTime();
        boolean first = analyzedAt == Long.MIN_VALUE;
        if ((first && since >= 10_000) || (!first && since >= 100_000 && now - analyzedAt > 60_000_000_000L)) {
            foldedSinceAnalyze.set(0);
            analyzedAt = now;
            transactions.executeWrite(status -> jdbc.execute(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ANALYZE usage_record");
                    statement.execute("ANALYZE record_time");
                }
                return null;
            }));
        }
    }

    /**
     * By id and time: the raw records are partitioned by time, and with {@code ts = at} each lookup goes to one
     * partition by its whole key; by the id alone it probed every partition (a daily trend at 1M: 281 ms).
     */
    @Override
    public String recordsByTime() {
        return "id = record_id AND ts = at";
    }

    /**
     * A lateral lookup per time entry, kept from being flattened into a join by {@code OFFSET 0}: for the plain join
     * the planner hashed the whole window's records and then took the newest 51 (a first page at 1M records: 1.1 s,
     * {@code EXPLAIN ANALYZE}); looked up one by one along the time index, 0.3–0.5 ms, 3–7 ms with a team filter.
     */
    @Override
    public String recordsInTimeOrder() {
        return " FROM record_time CROSS JOIN LATERAL (SELECT * FROM usage_record WHERE " + recordsByTime() + " OFFSET 0) usage_record";
    }

    @Override
    public boolean sharedByInstances() {
        return true;
    }

    @Override
    public boolean claimsRequestKeys() {
        return true;
    }

    @Override
    public Set<List<String>> claimRequestKeys(List<List<String>> teamAndId) {
        Set<List<String>> claimed = new HashSet<>();
        for (int i = 0; i < teamAndId.size(); i += CLAIM_CHUNK) {
            List<List<String>> chunk = teamAndId.subList(i, Math.min(teamAndId.size(), i + CLAIM_CHUNK));
            String values = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)"));
            jdbc.prepareStatement("INSERT INTO request_key (team, request_id) VALUES " + values
                    + " ON CONFLICT DO NOTHING RETURNING team, request_id", statement -> {
                int p = 1;
                for (List<String> key : chunk) {
                    statement.setString(p++, key.get(0));
                    statement.setString(p++, key.get(1));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(List.of(rs.getString(1), rs.getString(2)));
                    }
                }
                return null;
            });
        }
        return claimed;
    }
}
