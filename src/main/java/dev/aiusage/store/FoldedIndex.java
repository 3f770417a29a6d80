package dev.aiusage.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What every in-memory index of a rollup shares ({@link UsageIndex}, {@link PromptIndex}): built from its rollup's
 * rows with the watermark they hold on the first read, kept current by every fold that commits after that, loaded
 * afresh after a rebuild, a repricing or a missed fold step, and stepping aside for good (the rollups in SQL answer)
 * past {@code aiusage.store.index.max-day-cells} cells or when a sum would outgrow a long.
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
    private final long maxCells;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // guarded by lock
    private volatile boolean loaded;
    private boolean usable = true;
    /** The last fold step applied: the index holds exactly the records up to it. */
    long watermark;
    /** Cells held (combination × day or hour); past {@link #maxCells} the index steps aside. */
    long cells;

    FoldedIndex(String name, JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupFolder folder, long maxCells) {
        this.name = name;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.folder = folder;
        this.maxCells = maxCells;
        folder.onFolded(this::apply);
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
     * {@code read} under the read lock once the index is loaded, or null when it has stepped aside; a sum that
     * outgrows a long makes it step aside (which takes the write lock, as it clears what other readers may read).
     */
    <T> T readLocked(Supplier<T> read) {
        ensureLoaded();
        lock.readLock().lock();
        try {
            if (!usable) {
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

    /**
     * The rollup's rows and the watermark they hold, read while no fold commits. A fold may be under way (it is not
     * waited for): {@link #apply} then tells whether its step is in what was read.
     */
    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (!loaded) {
                folder.consistently(() -> transactions.executeRead(status -> {
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

    /** After a rebuild, a repricing or a fill: the rollup may differ from what the index was built from; it loads afresh when next read. */
    void reset() {
        lock.writeLock().lock();
        try {
            clear();
        } finally {
            lock.writeLock().unlock();
        }
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
