package dev.aiusage.store.engine;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded H2 database: one process owns the file, so waiting for ingest in flight is a lock in this JVM.
 *
 * <p>Durability does not hang on the URL: H2 holds commits in memory for up to its {@code WRITE_DELAY} (500 ms
 * unless the URL says otherwise), and a killed process then loses records it had acknowledged. At start-up
 * this sets the database's (persistent) write delay to 0, and refuses to start when the URL asks for another,
 * since H2 would apply the URL's value again on every new pooled connection.
 *
 * <p>The statement timeout is set on H2's session object rather than with {@code SET QUERY_TIMEOUT}: that
 * statement (also what JDBC {@code setQueryTimeout} sends) bumps H2's metadata version, so every session
 * recompiles its cached statements and drops its cached results, which made reads about ten times slower.
 */
@Context
@Requires(property = "datasources.default.url", pattern = "jdbc:h2:.*")
public class H2Engine implements Engine {
    private static final Pattern WRITE_DELAY = Pattern.compile(";\\s*WRITE_DELAY\\s*=\\s*([^;]*)", Pattern.CASE_INSENSITIVE);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final String url;
    /** Ingest holds it shared, {@link #quiesced} exclusive; fair, so a stream of ingests cannot keep the fold out. */
    private final ReentrantReadWriteLock ingestOrFold = new ReentrantReadWriteLock(true);

    H2Engine(JdbcOperations jdbc, TransactionOperations<Connection> transactions, @Value("${datasources.default.url}") String url) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.url = url;
        if (!isInMemory(url)) {
            requireDurable();
        }
    }

    static boolean isInMemory(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:");
    }

    private void requireDurable() {
        Matcher delay = WRITE_DELAY.matcher(url);
        if (delay.find() && !delay.group(1).trim().equals("0")) {
            throw new ConfigurationException("datasources.default.url sets WRITE_DELAY=" + delay.group(1).trim()
                    + ": H2 would then hold acknowledged records in memory and lose them if the process is killed. "
                    + "Remove the setting (the service sets WRITE_DELAY=0 itself) or set it to 0.");
        }
        String delayNow;
        try {
            delayNow = transactions.executeWrite(status -> jdbc.execute(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET WRITE_DELAY 0");
                    try (ResultSet rs = statement.executeQuery(
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                        return rs.next() ? rs.getString(1).trim() : null;
                    }
                }
            }));
        } catch (RuntimeException e) {
            throw new ConfigurationException("could not make the H2 database durable (SET WRITE_DELAY 0 needs an admin user)", e);
        }
        if (!"0".equals(delayNow)) {
            throw new ConfigurationException("H2 did not take WRITE_DELAY=0; refusing to run without durable commits");
        }
    }

    @Override
    public <T> T withStatementTimeout(Connection connection, int millis, SqlWork<T> work) throws SQLException {
        SessionLocal session = session(connection);
        session.setQueryTimeout(millis);
        try {
            return work.run();
        } finally {
            session.setQueryTimeout(0);
        }
    }

    private static SessionLocal session(Connection connection) throws SQLException {
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session;
        }
        throw new IllegalStateException("the H2 engine needs an embedded database (a jdbc:h2:file: or jdbc:h2:mem: URL)");
    }

    @Override
    public <T> T ingesting(Supplier<T> transaction) {
        ingestOrFold.readLock().lock();
        try {
            return transaction.get();
        } finally {
            ingestOrFold.readLock().unlock();
        }
    }

    @Override
    public <T> T quiesced(Supplier<T> action) {
        ingestOrFold.writeLock().lock();
        try {
            return action.get();
        } finally {
            ingestOrFold.writeLock().unlock();
        }
    }

    /**
     * H2 writes every commit as a new chunk of pages and frees a chunk only once none of its pages is live; its
     * own background housekeeping did not keep up (measured: a chunk fill rate of 23%, the file four times its live
     * data, and the same after a clean restart). So when less than half of the file or of its chunks is live,
     * MVStore's compaction rewrites the sparse chunks, moves live ones to the front and truncates the file. Its
     * progress carries over between calls: measured on a 1.5 GB file after a backfill, the third call of 5 s
     * truncated it to 606 MB.
     */
    @Override
    public boolean reclaimSpace(Duration budget, int livePercent) {
        if (isInMemory(url)) {
            return false;
        }
        return transactions.executeWrite(status -> jdbc.execute(connection -> {
            org.h2.mvstore.db.Store store = session(connection).getDatabase().getStore();
            FileStore<?> file = store.getMvStore().getFileStore();
            // live share of the chunks' bytes and of the file (chunks may sit apart, leaving free space between)
            if (file.getChunksFillRate() >= livePercent && file.getFillRate() >= livePercent) {
                return false;
            }
            store.compactFile((int) Math.min(Integer.MAX_VALUE, budget.toMillis()));
            return file.getChunksFillRate() < livePercent || file.getFillRate() < livePercent;
        }));
    }
}
