package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Moves appended records from {@code usage_tail} into {@code usage_record} and folds them into the rollups, in
 * steps of up to {@code aiusage.store.fold.step} records, each one transaction: a record is in the tail or folded,
 * never both and never neither, so a kill mid-fold leaves the tail as it was and the next start folds it again.
 * A fold runs on its own thread when the tail reaches {@code eager-at} records, and every {@code interval} while
 * it holds any. When the tail grows past {@code max-tail} (the fold cannot keep up), the appending request folds
 * before it is answered: ingest slows down rather than reads, which scan the tail, growing slow.
 */
@Singleton
public class RollupFolder {
    private static final Logger LOG = LoggerFactory.getLogger(RollupFolder.class);
    private static final String READ = "SELECT " + UsageWriter.COLUMNS + " FROM usage_tail ORDER BY id LIMIT ?";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final Engine engine;
    private final RollupWriter rollups;
    private final int step;
    private final long eagerAt;
    private final long maxTail;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollup-fold");
        t.setDaemon(true);
        return t;
    });
    /** Records in the tail: counted once before the first append through this instance, then kept. */
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean eagerQueued = new AtomicBoolean();
    /** Folds and rollup rebuilds write the rollups one at a time. */
    private final ReentrantLock rollupWriters = new ReentrantLock();

    RollupFolder(JdbcOperations jdbc, TransactionOperations<Connection> transactions, Engine engine, RollupWriter rollups,
                 @Value("${aiusage.store.fold.step:50000}") int step,
                 @Value("${aiusage.store.fold.eager-at:10000}") long eagerAt,
                 @Value("${aiusage.store.fold.max-tail:200000}") long maxTail,
                 @Value("${aiusage.store.fold.interval:1s}") Duration interval) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.engine = engine;
        this.rollups = rollups;
        this.step = step;
        this.eagerAt = eagerAt;
        this.maxTail = maxTail;
        pending.set(transactions.executeRead(status -> count()));
        long millis = Math.max(1, interval.toMillis());
        thread.scheduleWithFixedDelay(this::foldIfPending, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Called after an append committed {@code n} records. */
    void appended(int n) {
        long tail = pending.addAndGet(n);
        if (tail >= maxTail) {
            foldAll();
        } else if (tail >= eagerAt && eagerQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                eagerQueued.set(false);
                foldIfPending();
            });
        }
    }

    /** Records not folded yet. */
    public long pending() {
        return pending.get();
    }

    /** Folds until the tail is empty; returns how many records were folded. */
    public long foldAll() {
        long total = 0;
        for (int n = foldStep(); n > 0; n = foldStep()) {
            total += n;
        }
        return total;
    }

    private void foldIfPending() {
        try {
            while (pending() > 0 && foldStep() > 0) {
                if (pending() < eagerAt) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // the records stay in the tail, where every read still counts them; the next round tries again
            LOG.error("folding the usage tail failed; retrying on the next round", e);
        }
    }

    /** One fold transaction of up to {@code step} records, the oldest appended first. */
    private int foldStep() {
        return withoutFolds(() -> engine.folding(() -> {
            int folded = transactions.executeWrite(status -> {
                List<UsageRecord> records = jdbc.prepareStatement(READ, statement -> {
                    statement.setInt(1, step);
                    try (ResultSet rs = statement.executeQuery()) {
                        return jdbc.entityStream(rs, UsageRecord.class).toList();
                    }
                });
                if (records.isEmpty()) {
                    return 0;
                }
                long last = records.get(records.size() - 1).id();
                jdbc.prepareStatement("INSERT INTO usage_record (" + UsageWriter.COLUMNS + ") SELECT " + UsageWriter.COLUMNS
                        + " FROM usage_tail WHERE id <= ?", statement -> {
                    statement.setLong(1, last);
                    return statement.executeUpdate();
                });
                rollups.add(records);
                jdbc.prepareStatement("DELETE FROM usage_tail WHERE id <= ?", statement -> {
                    statement.setLong(1, last);
                    return statement.executeUpdate();
                });
                return records.size();
            });
            pending.addAndGet(-folded);
            return folded;
        }));
    }

    /**
     * Runs {@code work} while no fold runs: for a rebuild of the rollups from {@code usage_record}, which ingest
     * does not write, so appends go on meanwhile.
     */
    <T> T withoutFolds(Supplier<T> work) {
        rollupWriters.lock();
        try {
            return work.get();
        } finally {
            rollupWriters.unlock();
        }
    }

    private long count() {
        return jdbc.prepareStatement("SELECT COUNT(*) FROM usage_tail", statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A clean stop leaves nothing to fold at the next start. */
    @PreDestroy
    void stop() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(30, TimeUnit.SECONDS);
        try {
            foldAll();
        } catch (RuntimeException e) {
            LOG.warn("could not fold the usage tail at shutdown; it is folded at the next start", e);
        }
    }
}
