package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Folds stored records into the rollups past the watermark {@code fold_state.folded_through}, in steps of up to
 * {@code aiusage.store.fold.step} records, each one transaction that adds the step's sums to the rollups and
 * moves the watermark: a record is in the rollups or above the watermark, never both and never neither, so a
 * kill mid-fold leaves the rollups and the watermark as they were and the next fold does the step again.
 *
 * <p>A step's upper bound is taken while no ingest is in flight ({@link Engine#quiesced}), which waits at most for
 * the batches being stored; the step itself then runs beside ingest. A fold runs on its own thread when
 * {@code eager-at} records wait, and every {@code interval} while any do. When more than {@code max-tail} wait
 * (folding cannot keep up), the storing request folds before it is answered: ingest slows down rather than reads,
 * which add the unfolded records one by one.
 */
@Singleton
public class RollupFolder {
    private static final Logger LOG = LoggerFactory.getLogger(RollupFolder.class);
    /** Time a round of folding may spend giving disk space back (see {@link Engine#reclaimSpace}). */
    private static final Duration RECLAIM_BUDGET = Duration.ofMillis(300);
    /** When nothing was stored for this long and nothing waits, space is given back, at most this often, for up to this long. */
    private static final Duration IDLE_RECLAIM_EVERY = Duration.ofSeconds(10);
    /**
     * Measured on a 1.5 GB file after a backfill: three calls of 5 s each moved the live chunks and truncated it
     * to 606 MB; progress carries over from one call to the next.
     */
    private static final Duration IDLE_RECLAIM_BUDGET = Duration.ofSeconds(5);
    /** At most this many rounds in a row: a minute of compaction, stopped as soon as something is stored. */
    private static final int IDLE_RECLAIM_ROUNDS = 12;
    /**
     * Right after a fold, the file is compacted when less than half of it is live (a short round beside ingest);
     * once quiet, after a rebuild and at shutdown, when less than three quarters is. Measured after a backfill of
     * 100K random records into 1M (bench/run store): 1,054–1,119 B per record once folded, which the half rule
     * left as it was; with the three-quarter rule, 1,023 B became 533 B within 15 s.
     */
    private static final int BUSY_LIVE_PERCENT = 50;
    private static final int QUIET_LIVE_PERCENT = 75;
    private static final String READ = "SELECT * FROM usage_record WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

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
    /** Records above the watermark: counted once at start, then kept. */
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean eagerQueued = new AtomicBoolean();
    /** Only the fold thread reads and writes it. */
    private long lastIdleReclaim = System.nanoTime();
    private volatile long lastAppend = System.nanoTime();
    /** Set when a quiet-time compaction starts, cleared by every store. */
    private volatile boolean quietReclaimDone;
    /** False until {@link #startDelay} after the server listens: no fold runs by itself before. */
    private volatile boolean serving;
    private final Duration startDelay;
    /**
     * Statements that read the rollups and the watermark together hold it shared; the commit of a fold or a
     * rebuild holds it alone. H2 reads each table of a statement at the moment the statement reaches it, not as
     * of one instant: measured, a daily trend that ran across a fold's commit read the old rollups and the new
     * watermark, and missed half its records.
     */
    private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock(true);
    /** Long reads holding {@link #commits} shared now (an in-memory index's load): see {@link #lockForCommit}. */
    private final java.util.concurrent.atomic.AtomicInteger longReads = new java.util.concurrent.atomic.AtomicInteger();
    /** Folds and rollup rebuilds write the rollups one at a time. */
    private final ReentrantLock rollupWriters = new ReentrantLock();
    private final UnfoldedRequestIds requestIds;
    /** Told of every committed fold step, in order: its records and the new watermark (the index, the live feed). */
    private final List<Folded> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The watermark as this process last told its {@link #onFolded} listeners (what they hold); below the database's
     * when another instance on the same database folded since.
     */
    private volatile long followed;

    /**
     * Told of every committed fold step: its records, and the watermark it moved from and to. Called on the fold
     * thread, so a listener must not block it.
     */
    public interface Folded {
        void accept(List<UsageRecord> records, long from, long to);
    }

    RollupFolder(JdbcOperations jdbc, TransactionOperations<Connection> transactions, Engine engine, RollupWriter rollups,
                 @Value("${aiusage.store.fold.step:50000}") int step,
                 @Value("${aiusage.store.fold.eager-at:10000}") long eagerAt,
                 @Value("${aiusage.store.fold.max-tail:200000}") long maxTail,
                 @Value("${aiusage.store.fold.interval:1s}") Duration interval,
                 @Value("${aiusage.store.fold.start-delay:2s}") Duration startDelay) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.engine = engine;
        this.rollups = rollups;
        this.step = step;
        this.eagerAt = eagerAt;
        this.maxTail = maxTail;
        this.startDelay = startDelay;
        pending.set(unfolded());
        followed = watermark();
        requestIds = new UnfoldedRequestIds(engine.claimsRequestKeys() ? List.of() : transactions.executeRead(status -> jdbc.prepareStatement(
                "SELECT team, request_id FROM usage_record WHERE id > " + WATERMARK + " AND request_id IS NOT NULL", statement -> {
                    try (ResultSet rs = statement.executeQuery()) {
                        List<String> ids = new ArrayList<>();
                        while (rs.next()) {
                            ids.add(UnfoldedRequestIds.key(rs.getString(1), rs.getString(2)));
                        }
                        return ids;
                    }
                })));
        long millis = Math.max(1, interval.toMillis());
        thread.scheduleWithFixedDelay(this::foldIfPending, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The watermark as a subquery. H2 may read it at another moment than the rollups of the same statement, so
     * statements that combine the two run {@link #consistently}.
     */
    static final String WATERMARK = "(SELECT folded_through FROM fold_state WHERE name = 'usage')";

    /** Called after an ingest transaction committed {@code n} records. */
    void appended(int n) {
        lastAppend = System.nanoTime();
        quietReclaimDone = false;
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

    /** Adds a listener of every fold step committed from now on, this process's and (followed) other instances'. */
    public void onFolded(Folded listener) {
        listeners.add(listener);
    }

    private void told(List<UsageRecord> records, long from, long to) {
        for (Folded listener : listeners) {
            listener.accept(records, from, to);
        }
    }

    UnfoldedRequestIds requestIds() {
        return requestIds;
    }

    /** Records stored but not folded yet, counted in the database. */
    public long unfolded() {
        return transactions.executeRead(status -> single("SELECT COUNT(*) FROM usage_record WHERE id > " + WATERMARK));
    }

    /** The running estimate of {@link #unfolded} that decides when to fold. */
    private long pending() {
        return pending.get();
    }

    /** Folds everything stored before the call; returns how many records were folded. */
    public long foldAll() {
        long upTo = engine.quiesced(this::maxId);
        long total = 0;
        for (int n = foldStep(upTo); n > 0; n = foldStep(upTo)) {
            total += n;
        }
        return total;
    }

    /**
     * Folding starts {@code aiusage.store.fold.start-delay} after the server listens: start-up (in demo mode
     * with the demo load) and the first answers then have both cores, and every answer counts the records above
     * the watermark meanwhile, as always. Measured in demo mode on 2 cores: the first answer came after 4.9–5.2 s
     * with the fold running during start-up, 4.1–4.6 s without. Past {@code max-tail} a storing request still
     * folds before it is answered.
     */
    @EventListener
    void serverStarted(ServerStartupEvent event) {
        thread.schedule(() -> {
            serving = true;
            if (pending() >= eagerAt) {
                foldIfPending();
            }
        }, startDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void foldIfPending() {
        if (!serving) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (pending() == 0 && !quietReclaimDone && now - lastAppend > IDLE_RECLAIM_EVERY.toNanos()
                    && now - lastIdleReclaim > IDLE_RECLAIM_EVERY.toNanos()) {
                // a quiet moment (nothing stored for a while): give back what the last folds left dead in the file,
                // once per quiet spell (a store starts a new one), so that a file that cannot reach the target is
                // not compacted over and over while nothing changes
                lastIdleReclaim = now;
                quietReclaimDone = true;
                reclaimWhile(() -> System.nanoTime() - lastAppend > IDLE_RECLAIM_EVERY.toNanos(), IDLE_RECLAIM_ROUNDS);
            }
            if (engine.sharedByInstances()) {
                withoutFolds(() -> follow(watermark()));
            }
            while (pending() > 0) {
                long upTo = engine.quiesced(this::maxId);
                if (foldStep(upTo) == 0) {
                    break;
                }
                engine.reclaimSpace(RECLAIM_BUDGET, BUSY_LIVE_PERCENT);
                if (pending() < eagerAt) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // the records stay above the watermark, where every read still counts them; the next round tries again
            LOG.error("folding stored records into the rollups failed; retrying on the next round", e);
        }
    }

    /** One fold transaction: up to {@code step} records above the watermark and at most {@code upTo}, in id order. */
    private int foldStep(long upTo) {
        return withoutFolds(() -> {
            long started = System.nanoTime();
            long[] moved = new long[2];
            List<UsageRecord> batch = writeAlone(() -> {
                engine.beginFold();
                long from = watermark();
                if (from >= upTo) {
                    return List.<UsageRecord>of();
                }
                List<UsageRecord> records = recordsAbove(from, upTo);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("read {} records in {} ms", records.size(), (System.nanoTime() - started) / 1_000_000);
                }
                rollups.add(records);
                // a short step read everything up to upTo (ids of rolled-back batches are never used)
                long to = records.size() < step ? upTo : records.get(records.size() - 1).id();
                if (!engine.claimsRequestKeys()) {
                    jdbc.prepareStatement("INSERT INTO request_key (team, request_id) SELECT team, request_id FROM usage_record "
                            + "WHERE id > ? AND id <= ? AND request_id IS NOT NULL", statement -> {
                        statement.setLong(1, from);
                        statement.setLong(2, to);
                        return statement.executeUpdate();
                    });
                }
                // the time index of the folded records, written here in one sorted pass rather than by every batch
                jdbc.prepareStatement("INSERT INTO record_time (at, record_id) SELECT ts, id FROM usage_record "
                        + "WHERE id > ? AND id <= ? ORDER BY ts, id", statement -> {
                    statement.setLong(1, from);
                    statement.setLong(2, to);
                    return statement.executeUpdate();
                });
                moveWatermark(to);
                moved[0] = from;
                moved[1] = to;
                return records;
            });
            if (!batch.isEmpty()) {
                // another instance may have folded the records before this step's
                follow(moved[0]);
                told(batch, moved[0], moved[1]);
                followed = moved[1];
            }
            // request_key has them now; dropped from memory while no ingest runs, so no check falls between the two
            List<String> ids = batch.stream().filter(r -> r.requestId() != null)
                    .map(r -> UnfoldedRequestIds.key(r.team(), r.requestId())).toList();
            if (!ids.isEmpty() && !engine.claimsRequestKeys()) {
                engine.quiesced(() -> {
                    requestIds.folded(ids);
                    return null;
                });
            }
            int folded = batch.size();
            pending.addAndGet(-folded);
            if (folded > 0) {
                engine.folded(folded);
            }
            if (folded > 0 && LOG.isDebugEnabled()) {
                LOG.debug("folded {} records in {} ms", folded, (System.nanoTime() - started) / 1_000_000);
            }
            return folded;
        });
    }

    /** Up to {@code step} records with {@code from < id <= upTo}, in id order, in the caller's transaction. */
    private List<UsageRecord> recordsAbove(long from, long upTo) {
        return jdbc.prepareStatement(READ, statement -> {
            statement.setLong(1, from);
            statement.setLong(2, upTo);
            statement.setInt(3, step);
            try (ResultSet rs = statement.executeQuery()) {
                return RecordRows.read(rs);
            }
        });
    }

    /**
     * Tells the listeners of the folds committed up to {@code upTo} that this process has not told them of (folds
     * of other instances on the same database), reading their records in steps, in id order. Called while no
     * fold of this process runs.
     */
    private Void follow(long upTo) {
        while (followed < upTo) {
            long from = followed;
            List<UsageRecord> records = transactions.executeRead(status -> recordsAbove(from, upTo));
            long to = records.size() < step ? upTo : records.get(records.size() - 1).id();
            told(records, from, to);
            followed = to;
        }
        return null;
    }

    private void moveWatermark(long to) {
        jdbc.prepareStatement("UPDATE fold_state SET folded_through = ? WHERE name = 'usage'", statement -> {
            statement.setLong(1, to);
            return statement.executeUpdate();
        });
    }

    /** The highest stored id; taken while no ingest is in flight, every id up to it is committed or never will be. */
    long maxId() {
        return transactions.executeRead(status -> single("SELECT COALESCE(MAX(id), 0) FROM usage_record"));
    }

    /** Runs a read of the rollups and the watermark so that no fold or rebuild commits while it runs. */
    <T> T consistently(Supplier<T> read) {
        commits.readLock().lock();
        try {
            return read.get();
        } finally {
            commits.readLock().unlock();
        }
    }

    /**
     * The same for a read that may take long (an in-memory index's load of a whole rollup, seconds to minutes): a
     * commit waiting for it does not queue for the fence, so the short reads that come meanwhile are not held up.
     */
    <T> T consistentlyAtLength(Supplier<T> read) {
        longReads.incrementAndGet();
        try {
            return consistently(read);
        } finally {
            longReads.decrementAndGet();
        }
    }

    /**
     * Runs {@code work} in a write transaction whose commit happens while no {@link #consistently} read runs: the
     * fence is taken after the work, just before the commit, and given back once the commit is done.
     */
    <T> T writeAlone(Supplier<T> work) {
        try {
            return transactions.executeWrite(status -> {
                T result = work.get();
                lockForCommit();
                return result;
            });
        } finally {
            if (commits.writeLock().isHeldByCurrentThread()) {
                commits.writeLock().unlock();
            }
        }
    }

    /**
     * Takes the fence alone. The fence is fair, so a commit queued for it holds up every read that comes after it
     * until the reads before it end; while a long read holds it, the commit tries now and then instead of queueing,
     * so short reads go on meanwhile.
     */
    private void lockForCommit() {
        while (longReads.get() > 0) {
            if (commits.writeLock().tryLock()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting to commit a fold", e);
            }
        }
        commits.writeLock().lock();
    }

    /**
     * Runs {@code work} while no fold runs: for a rebuild of the rollups, which ingest does not touch, so records
     * go on being stored meanwhile.
     */
    <T> T withoutFolds(Supplier<T> work) {
        rollupWriters.lock();
        try {
            return work.get();
        } finally {
            rollupWriters.unlock();
        }
    }

    /**
     * After a rewrite of the rollups (a rebuild), whose old rows are dead space in the file: on the fold thread,
     * so the caller is answered without waiting for it.
     */
    void reclaimAfterRewrite() {
        thread.execute(() -> reclaimWhile(() -> true, IDLE_RECLAIM_ROUNDS));
    }

    /** Compaction rounds of {@link #IDLE_RECLAIM_BUDGET} while {@code still} holds and there is more to reclaim. */
    private void reclaimWhile(BooleanSupplier still, int rounds) {
        for (int round = 0; round < rounds && still.getAsBoolean(); round++) {
            if (!engine.reclaimSpace(IDLE_RECLAIM_BUDGET, QUIET_LIVE_PERCENT)) {
                return;
            }
        }
    }

    /**
     * Runs a read that takes the records above the watermark with the watermark as a literal, read just before:
     * given a subquery, PostgreSQL cannot estimate how few records lie above it and scanned every partition of the
     * raw table (measured at 1M: 91 ms against 0.8 ms by the primary key). The read is consistent if no fold
     * committed in between, which an unchanged watermark afterwards shows (it only grows, and a fold moves it in
     * the same commit as the rollups); otherwise it runs again, and after three tries with the subquery, which is
     * consistent within its one statement. Callers hold the fence ({@link #consistently}), which keeps
     * this process's folds out meanwhile, so the check after is needed only where other instances fold too.
     */
    <T> T atWatermark(java.util.function.LongFunction<T> read) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long watermark = watermark();
            T result = read.apply(watermark);
            // every caller holds the fence, so only another instance's fold can have moved it meanwhile
            if (!engine.sharedByInstances() || watermark() == watermark) {
                return result;
            }
        }
        return read.apply(Long.MIN_VALUE);
    }

    /** The id of the last folded record. */
    long watermark() {
        return transactions.executeRead(status -> single("SELECT folded_through FROM fold_state WHERE name = 'usage'"));
    }

    private long single(String sql) {
        return jdbc.prepareStatement(sql, statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A clean stop leaves nothing to fold at the next start, and gives back the space the file does not use. */
    @PreDestroy
    void stop() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(30, TimeUnit.SECONDS);
        try {
            foldAll();
            reclaimWhile(() -> true, 4);
        } catch (RuntimeException e) {
            LOG.warn("could not fold stored records at shutdown; they are folded after the next start", e);
        }
    }
}
