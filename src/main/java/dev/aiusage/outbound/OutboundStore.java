package dev.aiusage.outbound;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outbound queue's table and attempt log. A message is claimed before it is sent (status SENDING with a
 * lease in {@code next_attempt_at}), so two workers never send the same one, and a worker that died mid-send
 * leaves a claim that expires and is tried again.
 */
@Singleton
public class OutboundStore {
    private static final String COLUMNS = "id, destination, dedupe_key, payload, status, attempt_count, next_attempt_at, "
            + "created_at, done_at, remote_key, remote_url";

    private final JdbcOperations jdbc;

    public OutboundStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A new PENDING message, due at once; joins the caller's transaction so its detail row lands with it. */
    @Transactional
    public long create(Destination destination, String dedupeKey, String payload, Instant now) {
        return jdbc.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO outbound_message (destination, dedupe_key, "
                    + "payload, status, attempt_count, next_attempt_at, created_at) VALUES (?, ?, ?, 'PENDING', 0, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                statement.setString(1, destination.name());
                statement.setString(2, dedupeKey);
                statement.setString(3, payload);
                statement.setObject(4, utc(now));
                statement.setObject(5, utc(now));
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @ReadOnly
    public Optional<OutboundMessage> find(Destination destination, String dedupeKey) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM outbound_message WHERE destination = ? AND dedupe_key = ?", statement -> {
            statement.setString(1, destination.name());
            statement.setString(2, dedupeKey);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    @ReadOnly
    public OutboundMessage get(long id) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM outbound_message WHERE id = ?", statement -> {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return read(rs);
            }
        });
    }

    /**
     * Takes the message for one attempt, until {@code leaseUntil}: when it is due, or when an earlier claim has
     * expired; with {@code force} (an explicit request) also before its backoff is over or after it was given
     * up. Never once SENT. False when it is not to be sent now.
     */
    @Transactional
    public boolean claim(long id, Instant now, Instant leaseUntil, boolean force) {
        return jdbc.prepareStatement("UPDATE outbound_message SET status = 'SENDING', next_attempt_at = ? WHERE id = ? AND ("
                + "(status IN ('PENDING', 'RETRYING') AND (next_attempt_at <= ? OR ?)) OR (status = 'FAILED' AND ?) "
                + "OR (status = 'SENDING' AND next_attempt_at <= ?))", statement -> {
            statement.setObject(1, utc(leaseUntil));
            statement.setLong(2, id);
            statement.setObject(3, utc(now));
            statement.setBoolean(4, force);
            statement.setBoolean(5, force);
            statement.setObject(6, utc(now));
            return statement.executeUpdate() == 1;
        });
    }

    /** Logs {@code attempt} and moves the message on: SENT, RETRYING at {@code nextAttemptAt}, or FAILED. */
    @Transactional
    public void finish(long id, Attempt attempt, OutboundStatus status, Instant nextAttemptAt, Remote remote) {
        jdbc.prepareStatement("INSERT INTO outbound_attempt (message_id, at, succeeded, http_status, error, duration_ms) "
                + "VALUES (?, ?, ?, ?, ?, ?)", statement -> {
            statement.setLong(1, id);
            statement.setObject(2, utc(attempt.at()));
            statement.setBoolean(3, attempt.succeeded());
            statement.setObject(4, attempt.httpStatus());
            statement.setString(5, attempt.error());
            statement.setInt(6, attempt.durationMs());
            return statement.executeUpdate();
        });
        jdbc.prepareStatement("UPDATE outbound_message SET status = ?, attempt_count = attempt_count + 1, next_attempt_at = ?, "
                + "done_at = ?, remote_key = ?, remote_url = ? WHERE id = ?", statement -> {
            statement.setString(1, status.name());
            statement.setObject(2, nextAttemptAt == null ? null : utc(nextAttemptAt));
            statement.setObject(3, status == OutboundStatus.SENT || status == OutboundStatus.FAILED ? utc(attempt.at()) : null);
            statement.setString(4, remote.key());
            statement.setString(5, remote.url());
            statement.setLong(6, id);
            return statement.executeUpdate();
        });
    }

    /** Messages whose next attempt (or expired claim) is due, oldest due first. */
    @ReadOnly
    public List<Long> due(Instant now, int limit) {
        return jdbc.prepareStatement("SELECT id FROM outbound_message WHERE status IN ('PENDING', 'RETRYING', 'SENDING') "
                + "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", statement -> {
            statement.setObject(1, utc(now));
            statement.setInt(2, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    /** The attempts of each message, oldest first, in one query. */
    @ReadOnly
    public Map<Long, List<Attempt>> attempts(Collection<Long> ids) {
        Map<Long, List<Attempt>> byMessage = new HashMap<>();
        if (ids.isEmpty()) {
            return byMessage;
        }
        String marks = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        return jdbc.prepareStatement("SELECT message_id, at, succeeded, http_status, error, duration_ms FROM outbound_attempt "
                + "WHERE message_id IN (" + marks + ") ORDER BY message_id, id", statement -> {
            int index = 1;
            for (Long id : ids) {
                statement.setLong(index++, id);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    byMessage.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Attempt(instant(rs, 2),
                            rs.getBoolean(3), rs.getObject(4, Integer.class), rs.getString(5), rs.getInt(6)));
                }
            }
            return byMessage;
        });
    }

    static OutboundMessage read(ResultSet rs) throws SQLException {
        return new OutboundMessage(rs.getLong(1), Destination.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                OutboundStatus.valueOf(rs.getString(5)), rs.getInt(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                rs.getString(10), rs.getString(11));
    }

    /** The message columns, prefixed for a join: {@code m.id, m.destination, ...}, read back by {@link #read}. */
    public static String columns(String alias) {
        return COLUMNS.replaceAll("(\\w+)", alias + ".$1");
    }

    public static OutboundMessage readMessage(ResultSet rs) throws SQLException {
        return read(rs);
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
