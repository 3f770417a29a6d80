package dev.aiusage.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What every in-memory index of a rollup shares ({@link UsageIndex}, {@link PromptIndex}): built from its rollup's
 * rows with the watermark they hold by the {@link IndexLoader}'s thread (at start, or when a read finds it unloaded;
 * until it is loaded the rollups in SQL answer, so no request waits for a load), kept current by every fold that
 * commits after that, loaded afresh after a rebuild, a repricing or a missed fold step, and stepping aside for good
 * (the rollups in SQL answer) past {@code aiusage.store.index.max-day-cells} cells or when a sum would outgrow a long.
 *
 * <p>Exact at every moment without holding a lock during SQL: an index holds exactly the records up to its own
 * watermark (the last fold it applied), records are never changed or removed, and the caller adds the records
 * above that watermark from the database.
 */
abstract class FoldedIndex {
    private static final Logger LOG = LoggerFactory.getLogger(FoldedIndex.class);

    private final String name;
    final JdbcOperations jdbc;
    final TransactionOperations<Connection> transactions;
    private final RollupFolder folder;
    private final IndexLoader loader;
    private final long maxCells;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** A load is queued on the loader's thread or running there. */
    private final AtomicBoolean loadQueued = new AtomicBoolean();

    // guarded by lock
    private volatile boolean loaded;
    private boolean usable = true;
    /** The last fold step applied: the index holds exactly the records up to it. */
    long watermark;
    /** Cells held (combination × day or hour); past {@link #maxCells} the index steps aside. */
    long cells;

    FoldedIndex(String name, JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, IndexLoader loader,
                long maxCells) {
        this.name = name;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.folder = folder;
        this.loader = loader;
        this.maxCells = maxCells;
        folder.onFolded(this::apply);
        loader.register(this);
    }

    /** The SELECT of the rollup rows the index is built from. */
    abstract String loadSql();

    /** Adds one row of {@link #loadSql}; called with the write lock held. */
    abstract void loadRow(ResultSet rs) throws SQLException;

    /** After every row was loaded (prefix sums, say); called with the write lock held. */
    void loadedAll() {
    }

    /** Adds a fold step's records; called with the write lock held. */
    abstract void add(List<UsageRecord> records);

    /** Forgets everything it holds, to load afresh; called with the write lock held. */
    abstract void forget();

    /** Drops what it holds on stepping aside (what readers may hold stays valid for them); write lock held. */
    abstract void drop();

    /**
     * {@code read} under the read lock once the index is loaded, or null (the caller asks SQL) while it is not (a
     * load is then queued, if none is) or when it has stepped aside; a sum that outgrows a long makes it step aside
     * (which takes the write lock, as it clears what other readers may read). Never waits for a load.
     */
    <T> T readLocked(Supplier<T> read) {
        if (maxCells <= 0) {
            return null;
        }
        if (!loaded) {
            requestLoad();
            return null;
        }
        if (!lock.readLock().tryLock()) {
            if (!loaded) {
                // a load took the lock after the check above: it may take long
                return null;
            }
            lock.readLock().lock();
        }
        try {
            if (!loaded || !usable) {
                return null;
            }
            return read.get();
        } catch (ArithmeticException overflow) {
            // steps aside below, without the read lock
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            stepAside("a sum outgrew a long");
            return null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Queues a load on the loader's thread unless the index is loaded or a load is queued already. */
    void requestLoad() {
        if (maxCells > 0 && !loaded && loadQueued.compareAndSet(false, true) && !loader.submit(this::loadQueued)) {
            loadQueued.set(false);
        }
    }

    private void loadQueued() {
        try {
            load();
        } catch (RuntimeException e) {
            if (!loader.stopping()) {
                LOG.warn("the in-memory {} index could not load ({}); the rollups in SQL answer, and the next read tries again", name,
                        e.getClass().getSimpleName());
            }
        } finally {
            loadQueued.set(false);
        }
    }

    /**
     * The rollup's rows and the watermark they hold, read while no fold commits (readers are not held up: they find
     * the index unloaded). A fold may be under way (it is not waited for): {@link #apply} then tells whether its
     * step is in what was read.
     */
    private void load() {
        lock.writeLock().lock();
        try {
            if (!loaded) {
                // what a load that failed part way read
                clear();
                long started = System.nanoTime();
                folder.consistentlyAtLength(() -> transactions.executeRead(status -> {
                    watermark = folder.watermark();
                    jdbc.prepareStatement(loadSql(), statement -> {
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next() && usable) {
                                loadRow(rs);
                                checkCells();
                            }
                        }
                        return null;
                    });
                    return null;
                }));
                if (usable) {
                    loadedAll();
                }
                loaded = true;
                LOG.info("the in-memory {} index loaded {} cells in {} ms", name, cells, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (ArithmeticException overflow) {
            stepAside("a stored sum outgrew a long");
            loaded = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * After a fold committed {@code records} and moved the watermark from {@code from} to {@code to}. The index
     * may have been loaded after that commit (it then holds the step already) or before it (it holds exactly
     * up to {@code from}); anything else would be a gap, and the index loads afresh.
     */
    private void apply(List<UsageRecord> records, long from, long to) {
        lock.writeLock().lock();
        try {
            if (!loaded || !usable || to <= watermark) {
                return;
            }
            if (from != watermark) {
                LOG.warn("the in-memory {} index missed a fold step (holds up to {}, the step folded {} to {}); it loads afresh",
                        name, watermark, from, to);
                clear();
                return;
            }
            add(records);
            watermark = to;
            checkCells();
        } catch (ArithmeticException overflow) {
            stepAside("a value outgrew a long");
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkCells() {
        if (cells > maxCells) {
            stepAside(cells + " cells, over aiusage.store.index.max-day-cells");
        }
    }

    /**
     * After a rebuild, a repricing or a fill: the rollup may differ from what the index was built from; it loads
     * afresh, queued now (the rollups in SQL answer meanwhile).
     */
    void reset() {
        lock.writeLock().lock();
        try {
            clear();
        } finally {
            lock.writeLock().unlock();
        }
        requestLoad();
    }

    /** Where the index stands, for an operator: its name, whether it answers, and the cells it holds. */
    IndexStatus status() {
        boolean ready = loaded;
        IndexStatus.State state = maxCells <= 0 ? IndexStatus.State.OFF
                : !ready ? (loadQueued.get() ? IndexStatus.State.LOADING : IndexStatus.State.NOT_LOADED)
                : usable ? IndexStatus.State.READY : IndexStatus.State.STEPPED_ASIDE;
        return new IndexStatus(name, state, state == IndexStatus.State.READY ? cells : 0);
    }

    /**
     * The parts of {@code [fromMs, toMs)} that are not whole cells of {@code cell} ms, each {@code [from, to)} within
     * one cell (and so one UTC day): the window's two edges, or every cell of a window shorter than a whole cell.
     */
    static List<long[]> partialCells(long fromMs, long toMs, long cell) {
        long firstWhole = Math.floorDiv(fromMs + cell - 1, cell);
        long endWhole = Math.floorDiv(toMs, cell);
        List<long[]> parts = new java.util.ArrayList<>(2);
        if (firstWhole < endWhole) {
            if (fromMs < firstWhole * cell) {
                parts.add(new long[] {fromMs, firstWhole * cell});
            }
            if (endWhole * cell < toMs) {
                parts.add(new long[] {endWhole * cell, toMs});
            }
        } else {
            for (long c = Math.floorDiv(fromMs, cell); c * cell < toMs; c++) {
                parts.add(new long[] {Math.max(fromMs, c * cell), Math.min(toMs, (c + 1) * cell)});
            }
        }
        return parts;
    }

    /** Call with the write lock held. */
    private void clear() {
        loaded = false;
        usable = true;
        cells = 0;
        forget();
    }

    /** Call with the write lock held. */
    private void stepAside(String why) {
        if (usable) {
            LOG.warn("the in-memory {} index steps aside ({}); the rollups in SQL answer its reads from now on", name, why);
        }
        usable = false;
        drop();
    }
}
