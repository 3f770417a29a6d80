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
 * folded before the upgrade show their tokens in {@code tokens} but not split into input and output.
 */
@Singleton
public class RollupUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(RollupUpgrade.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final RollupRebuilder rebuilder;
    private final AtomicBoolean started = new AtomicBoolean();

    RollupUpgrade(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RollupRebuilder rebuilder) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rebuilder = rebuilder;
    }

    @EventListener
    void serverStarted(ServerStartupEvent event) {
        if (!pending() || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                LOG.info("Recomputing the rollups from the raw records once, for this version's new measures");
                RollupRebuilder.Result result = rebuilder.rebuild();
                transactions.executeWrite(status -> jdbc.prepareStatement("DELETE FROM rollup_upgrade WHERE name = 'rebuild'",
                        statement -> statement.executeUpdate()));
                LOG.info("Rollups recomputed: {} records, {} rows", result.records(), result.rollupRows());
            } catch (RuntimeException e) {
                LOG.error("Recomputing the rollups failed; it is tried again at the next start", e);
            }
        }, "rollup-upgrade");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean pending() {
        return transactions.executeRead(status -> jdbc.prepareStatement("SELECT COUNT(*) FROM rollup_upgrade WHERE name = 'rebuild'",
                statement -> {
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        return rs.getLong(1) > 0;
                    }
                }));
    }
}
