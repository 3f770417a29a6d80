package dev.aiusage.tickets;

import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.domain.TimeWindow;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Substitution tickets: an outbound message plus the suggestion and figures it was filed for. */
@Singleton
class TicketStore {
    private static final String NO_WORKFLOW = "";

    private final JdbcOperations jdbc;
    private final OutboundStore outbound;

    TicketStore(JdbcOperations jdbc, OutboundStore outbound) {
        this.jdbc = jdbc;
        this.outbound = outbound;
    }

    /** What makes a suggestion the same one: workflow, task type, current and suggested model. */
    static String dedupeKey(SubstitutionOpportunity o) {
        // names never hold control characters, so the unit separator cannot occur inside one
        return String.join("\u001f", o.workflow() == null ? NO_WORKFLOW : o.workflow(), o.taskType(), o.currentModel(), o.betterModel());
    }

    @Transactional
    long create(Destination destination, SubstitutionOpportunity o, TimeWindow window, String payload, Instant now) {
        long id = outbound.create(destination, dedupeKey(o), payload, now);
        jdbc.prepareStatement("INSERT INTO substitution_ticket (message_id, workflow, task_type, current_model, suggested_model, "
                + "est_monthly_savings, quality_diff, cost_ratio, current_samples, suggested_samples, window_from, window_to) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
            statement.setLong(1, id);
            statement.setString(2, o.workflow() == null ? NO_WORKFLOW : o.workflow());
            statement.setString(3, o.taskType());
            statement.setString(4, o.currentModel());
            statement.setString(5, o.betterModel());
            statement.setDouble(6, o.estMonthlySavings());
            statement.setDouble(7, o.qualityDiff());
            statement.setDouble(8, o.costRatio());
            statement.setLong(9, o.currentSamples());
            statement.setLong(10, o.betterSamples());
            statement.setObject(11, OutboundStore.utc(window.from()));
            statement.setObject(12, OutboundStore.utc(window.to()));
            return statement.executeUpdate();
        });
        return id;
    }

    /** Tickets with the given ids (every ticket when null), newest first, with their attempts. */
    @ReadOnly
    List<SubstitutionTicket> list(Collection<Long> ids) {
        if (ids != null && ids.isEmpty()) {
            return List.of();
        }
        String where = ids == null ? "" : " WHERE m.id IN (" + ids.stream().map(id -> "?").collect(Collectors.joining(", ")) + ")";
        List<Row> rows = jdbc.prepareStatement("SELECT " + OutboundStore.columns("m") + ", t.workflow, t.task_type, t.current_model, "
                + "t.suggested_model, t.est_monthly_savings, t.quality_diff, t.cost_ratio, t.current_samples, t.suggested_samples, "
                + "t.window_from, t.window_to FROM outbound_message m JOIN substitution_ticket t ON t.message_id = m.id" + where
                + " ORDER BY m.id DESC", statement -> {
            if (ids != null) {
                int index = 1;
                for (Long id : ids) {
                    statement.setLong(index++, id);
                }
            }
            List<Row> read = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String workflow = rs.getString(12);
                    read.add(new Row(OutboundStore.readMessage(rs), NO_WORKFLOW.equals(workflow) ? null : workflow, rs.getString(13),
                            rs.getString(14), rs.getString(15), rs.getDouble(16), rs.getDouble(17), rs.getDouble(18),
                            rs.getLong(19), rs.getLong(20), OutboundStore.instant(rs, 21), OutboundStore.instant(rs, 22)));
                }
            }
            return read;
        });
        Map<Long, List<Attempt>> attempts = outbound.attempts(rows.stream().map(r -> r.message().id()).toList());
        return rows.stream().map(r -> {
            OutboundMessage m = r.message();
            return new SubstitutionTicket(m.id(), m.destination(), r.workflow(), r.taskType(), r.currentModel(), r.suggestedModel(),
                    r.savings(), r.qualityDiff(), r.costRatio(), r.currentSamples(), r.suggestedSamples(), r.from(), r.to(),
                    m.status(), m.remoteKey(), m.remoteUrl(), m.status() == OutboundStatus.SENT ? m.doneAt() : null,
                    m.nextAttemptAt(), attempts.getOrDefault(m.id(), List.of()));
        }).toList();
    }

    private record Row(OutboundMessage message, String workflow, String taskType, String currentModel, String suggestedModel,
                       double savings, double qualityDiff, double costRatio, long currentSamples, long suggestedSamples,
                       Instant from, Instant to) {
    }
}
