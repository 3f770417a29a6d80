package dev.aiusage.report;

import dev.aiusage.outbound.Attempt;
import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.OutboundMessage;
import dev.aiusage.outbound.OutboundStatus;
import dev.aiusage.outbound.OutboundStore;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Report deliveries (an outbound message plus its trigger and week) and the schedule's progress. */
@Singleton
class DeliveryStore {
    static final String SCHEDULE = "weekly-report";

    private final JdbcOperations jdbc;
    private final OutboundStore outbound;

    DeliveryStore(JdbcOperations jdbc, OutboundStore outbound) {
        this.jdbc = jdbc;
        this.outbound = outbound;
    }

    static String dedupeKey(Instant weekEnding) {
        return "week:" + weekEnding;
    }

    /** The delivery of {@code weekEnding} to Slack: the one that exists, or a new one with {@code payload}. */
    @Transactional
    long deliveryFor(ReportDelivery.Trigger trigger, Instant weekEnding, String payload, Instant now) {
        Optional<OutboundMessage> existing = outbound.find(Destination.SLACK, dedupeKey(weekEnding));
        if (existing.isPresent()) {
            return existing.get().id();
        }
        long id = outbound.create(Destination.SLACK, dedupeKey(weekEnding), payload, now);
        jdbc.prepareStatement("INSERT INTO report_delivery (message_id, trigger_kind, week_ending) VALUES (?, ?, ?)", statement -> {
            statement.setLong(1, id);
            statement.setString(2, trigger.name());
            statement.setObject(3, OutboundStore.utc(weekEnding));
            return statement.executeUpdate();
        });
        return id;
    }

    /**
     * A scheduled run's delivery and the schedule's progress in one transaction, so that after a crash the run
     * is either fully recorded or still due: never sent twice, never skipped. False when another worker
     * recorded a later run first. A null payload (no Slack configured) records the run alone.
     */
    @Transactional
    boolean recordRun(Instant previousRun, Instant run, String payload, Instant now) {
        boolean advanced = jdbc.prepareStatement("UPDATE schedule_state SET last_run = ? WHERE name = ? AND last_run = ?", statement -> {
            statement.setObject(1, OutboundStore.utc(run));
            statement.setString(2, SCHEDULE);
            statement.setObject(3, OutboundStore.utc(previousRun));
            return statement.executeUpdate() == 1;
        });
        if (advanced && payload != null) {
            deliveryFor(ReportDelivery.Trigger.SCHEDULED, run, payload, now);
        }
        return advanced;
    }

    /** The last run recorded; on the first call, {@code now} is recorded, so runs count from when delivery was set up. */
    @Transactional
    Instant lastRun(Instant now) {
        Optional<Instant> last = jdbc.prepareStatement("SELECT last_run FROM schedule_state WHERE name = ?", statement -> {
            statement.setString(1, SCHEDULE);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(OutboundStore.instant(rs, 1)) : Optional.empty();
            }
        });
        if (last.isPresent()) {
            return last.get();
        }
        jdbc.prepareStatement("INSERT INTO schedule_state (name, last_run) VALUES (?, ?)", statement -> {
            statement.setString(1, SCHEDULE);
            statement.setObject(2, OutboundStore.utc(now));
            return statement.executeUpdate();
        });
        return now;
    }

    /** Deliveries, newest week first, with their attempts. */
    @ReadOnly
    List<ReportDelivery> list(int first, Long onlyId) {
        String where = onlyId == null ? "" : " WHERE m.id = ?";
        List<Row> rows = jdbc.prepareStatement("SELECT " + OutboundStore.columns("m") + ", d.trigger_kind, d.week_ending "
                + "FROM outbound_message m JOIN report_delivery d ON d.message_id = m.id" + where
                + " ORDER BY d.week_ending DESC, m.id DESC LIMIT ?", statement -> {
            int index = 1;
            if (onlyId != null) {
                statement.setLong(index++, onlyId);
            }
            statement.setInt(index, first);
            List<Row> read = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    read.add(new Row(OutboundStore.readMessage(rs), ReportDelivery.Trigger.valueOf(rs.getString(12)), OutboundStore.instant(rs, 13)));
                }
            }
            return read;
        });
        Map<Long, List<Attempt>> attempts = outbound.attempts(rows.stream().map(r -> r.message().id()).toList());
        return rows.stream().map(r -> {
            OutboundMessage m = r.message();
            return new ReportDelivery(m.id(), r.trigger(), m.destination().name().toLowerCase(), r.weekEnding(),
                    m.status(), m.payload(), m.createdAt(), m.status() == OutboundStatus.SENT ? m.doneAt() : null,
                    m.nextAttemptAt(), attempts.getOrDefault(m.id(), List.of()));
        }).toList();
    }

    private record Row(OutboundMessage message, ReportDelivery.Trigger trigger, Instant weekEnding) {
    }
}
