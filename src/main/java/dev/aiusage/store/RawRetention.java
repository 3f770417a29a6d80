package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Drops raw records older than {@code aiusage.retention.raw-days} (off by default), keeping every rollup: the
 * horizon (a UTC midnight, so every rollup bucket lies wholly on one side of it) is raised first, then the folded
 * records before it go with their time-table rows: whole months where the engine partitions them (PostgreSQL),
 * the rest in steps of {@value #STEP} records, a transaction each.
 * Records not folded yet are left for the next round. Request ids stay in {@code request_key}, so a late retry
 * of a dropped record is still a duplicate.
 *
 * <p>Between raising the horizon and the first delete it waits {@code aiusage.retention.grace} (15 s: longer
 * than a read's time budget and the second in which every instance learns the horizon), so that no read that
 * passed the old horizon is still running when the records it reads go.
 */
@Singleton
public class RawRetention {
    private static final Logger LOG = LoggerFactory.getLogger(RawRetention.class);
    static final int STEP = 50_000;

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final RawHorizon horizon;
    private final Clock clock;
    private final int rawDays;
    private final Duration grace;
    private final Engine engine;
    private final RollupFolder folder;

    RawRetention(JdbcOperations jdbc, TransactionOperations<Connection> transactions, RawHorizon horizon, Clock clock,
                 @Value("${aiusage.retention.raw-days:0}") int rawDays, @Value("${aiusage.retention.grace:15s}") Duration grace,
                 Engine engine, RollupFolder folder) {
        this.engine = engine;
        this.folder = folder;
        this.grace = grace;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.horizon = horizon;
        this.clock = clock;
        this.rawDays = Math.max(0, rawDays);
    }

    /** What one round did: the horizon it left and how many raw records it deleted. */
    public record Result(Instant rawFrom, long deleted) {
    }

    @Scheduled(fixedDelay = "${aiusage.retention.interval:1h}", initialDelay = "${aiusage.retention.initial-delay:5m}")
    void scheduled() {
        if (rawDays == 0) {
            return;
        }
        try {
            Result result = apply();
            if (result.deleted() > 0) {
                LOG.info("retention: deleted {} raw records before {}", result.deleted(), result.rawFrom());
            }
        } catch (RuntimeException e) {
            LOG.error("retention round failed; retrying on the next round", e);
        }
    }

    /** One round now: raises the horizon to the UTC midnight {@code raw-days} ago and deletes what lies before it. */
    public Result apply() {
        if (rawDays == 0) {
            return new Result(horizon.current(), 0);
        }
        Instant before = horizon.current();
        Instant rawFrom = horizon.raise(clock.instant().minus(Duration.ofDays(rawDays)).truncatedTo(ChronoUnit.DAYS));
        horizon.invalidate();
        if (!rawFrom.equals(before) && !grace.isZero()) {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(rawFrom, 0);
            }
        }
        // whole months first where the engine partitions the raw records, then what is left row by row
        long deleted = engine.dropRawBefore(rawFrom, folder.watermark());
        for (long n = deleteStep(rawFrom); n > 0; n = deleteStep(rawFrom)) {
            deleted += n;
        }
        return new Result(rawFrom, deleted);
    }

    /** Deletes up to {@link #STEP} folded records before {@code rawFrom}, oldest first; returns how many. */
    private long deleteStep(Instant rawFrom) {
        return transactions.executeWrite(status -> {
            OffsetDateTime before = Where.utc(rawFrom);
            // the step's last (at, record_id), or none: fewer than a step remain
            Object[] last = jdbc.prepareStatement("SELECT at, record_id FROM record_time WHERE at < ? ORDER BY at, record_id "
                    + "OFFSET " + (STEP - 1) + " ROWS FETCH NEXT 1 ROWS ONLY", statement -> {
                statement.setObject(1, before);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? new Object[] {rs.getObject(1, OffsetDateTime.class), rs.getLong(2)} : null;
                }
            });
            String step = last == null ? "at < ?" : "at < ? AND (at < ? OR (at = ? AND record_id <= ?))";
            int records = jdbc.prepareStatement("DELETE FROM usage_record WHERE id IN (SELECT record_id FROM record_time WHERE "
                    + step + ")", statement -> {
                bind(statement, before, last);
                return statement.executeUpdate();
            });
            jdbc.prepareStatement("DELETE FROM record_time WHERE " + step, statement -> {
                bind(statement, before, last);
                return statement.executeUpdate();
            });
            return (long) records;
        });
    }

    private static void bind(java.sql.PreparedStatement statement, OffsetDateTime before, Object[] last) throws java.sql.SQLException {
        statement.setObject(1, before);
        if (last != null) {
            statement.setObject(2, last[0]);
            statement.setObject(3, last[0]);
            statement.setLong(4, (Long) last[1]);
        }
    }
}
