package dev.aiusage.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a migration left for the service to do once, with the records in hand: a migration that added a rollup
 * measure or cube asks (a row in {@code rollup_upgrade}) for the rollups to be recomputed from the raw records,
 * which runs in the background after start (readers keep the old rollups until it commits). Until then, calls
 * folded before the upgrade show their tokens in {@code tokens} but not split into input and output. A migration
 * that added the prompt rollup asks ({@code prompts}) for it alone to be filled from the folded records; until that
 * commits, the prompt insights scan the records as they did before it ({@link #promptsReady}).
 */
@Singleton
public class RollupUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(RollupUpgrade.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final RollupRebuilder rebuilder;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Null until asked: whether the prompt rollup holds every folded record. */
    private volatile Boolean promptsReady;

    RollupUpgrade(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupRebuilder rebuilder) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rebuilder = rebuilder;
    }

    /** True once the prompt rollup holds every folded record (no {@code prompts} upgrade is waiting). */
    public boolean promptsReady() {
        Boolean ready = promptsReady;
        if (ready == null) {
            ready = !pending("prompts");
            promptsReady = ready;
        }
        return ready;
    }

    @EventListener
    void serverStarted(ServerStartupEvent event) {
        boolean rebuild = pending("rebuild");
        boolean prompts = pending("prompts");
        if (!(rebuild || prompts) || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                if (rebuild) {
                    LOG.info("Recomputing the rollups from the raw records once, for this version's new measures");
                    RollupRebuilder.Result result = rebuilder.rebuild();
                    // a rebuild fills the prompt rollup too
                    done("rebuild");
                    done("prompts");
                    LOG.info("Rollups recomputed: {} records, {} rows", result.records(), result.rollupRows());
                } else {
                    LOG.info("Filling the prompt rollup from the folded records once");
                    RollupRebuilder.Result result = rebuilder.rebuildPrompts();
                    done("prompts");
                    LOG.info("Prompt rollup filled: {} records, {} rows", result.records(), result.rollupRows());
                }
                promptsReady = true;
            } catch (RuntimeException e) {
                LOG.error("Recomputing the rollups failed; it is tried again at the next start", e);
            }
        }, "rollup-upgrade");
        thread.setDaemon(true);
        thread.start();
    }

    private void done(String name) {
        transactions.executeWrite(status -> jdbc.prepareStatement("DELETE FROM rollup_upgrade WHERE name = ?", statement -> {
            statement.setString(1, name);
            return statement.executeUpdate();
        }));
    }

    private boolean pending(String name) {
        return transactions.executeRead(status -> jdbc.prepareStatement("SELECT COUNT(*) FROM rollup_upgrade WHERE name = ?",
                statement -> {
                    statement.setString(1, name);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        return rs.getLong(1) > 0;
                    }
                }));
    }
}
