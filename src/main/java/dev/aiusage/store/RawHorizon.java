package dev.aiusage.store;

import dev.aiusage.domain.OutsideRetentionException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The instant before which raw records are no longer kept ({@code retention_state}), or none. Reads that need
 * raw records by time call {@link #require} first: a window edge there is refused, never answered from fewer
 * records. Read from the database at most once a second, so every instance on a shared database learns a new
 * horizon within a second; it is set before any record under it is deleted.
 */
@Singleton
public class RawHorizon {
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private volatile Instant cached;
    private volatile long readAt = Long.MIN_VALUE;
    private volatile Instant modelCubeFrom;
    private volatile boolean modelCubeFromRead;

    RawHorizon(JdbcOperations jdbc, TransactionOperations<Connection> transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The horizon now, or null when every raw record is kept. */
    public Instant current() {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > REFRESH_NANOS) {
            cached = transactions.executeRead(status -> stored());
            readAt = now;
        }
        return cached;
    }

    /**
     * The instant from which the model cube holds 15-minute and hourly rows, or null when it has them all along:
     * on an install upgraded (migration V14) after retention had dropped raw records, the horizon of that day,
     * since those rows come from the raw records; reads before it use a wider cube. Fixed once migrated.
     */
    Instant modelCubeFrom() {
        if (!modelCubeFromRead) {
            modelCubeFrom = transactions.executeRead(status -> jdbc.prepareStatement(
                    "SELECT raw_from FROM retention_state WHERE name = 'model_cube_from'", statement -> {
                        try (ResultSet rs = statement.executeQuery()) {
                            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
                        }
                    }));
            modelCubeFromRead = true;
        }
        return modelCubeFrom;
    }

    /** Refuses a read of raw records from {@code from} on when they start before the horizon. */
    public void require(Instant from, String field) {
        Instant horizon = current();
        if (horizon != null && from.isBefore(horizon)) {
            throw new OutsideRetentionException(field, horizon);
        }
    }

    /** Raises the horizon to {@code rawFrom} (never lowers it: what was deleted is gone); in its own transaction. */
    Instant raise(Instant rawFrom) {
        return transactions.executeWrite(status -> {
            Instant now = stored();
            if (now != null && !now.isBefore(rawFrom)) {
                return now;
            }
            String sql = now == null ? "INSERT INTO retention_state (raw_from, name) VALUES (?, 'usage')"
                    : "UPDATE retention_state SET raw_from = ? WHERE name = 'usage'";
            jdbc.prepareStatement(sql, statement -> {
                statement.setObject(1, Where.utc(rawFrom));
                return statement.executeUpdate();
            });
            return rawFrom;
        });
    }

    /** The horizon as stored, or null; in the caller's transaction. */
    private Instant stored() {
        return jdbc.prepareStatement("SELECT raw_from FROM retention_state WHERE name = 'usage'", statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
            }
        });
    }

    /** Forgets the cached value, so the next read sees the database's. */
    void invalidate() {
        readAt = Long.MIN_VALUE;
    }
}
