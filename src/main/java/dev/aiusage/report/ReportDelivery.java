package dev.aiusage.report;

import dev.aiusage.outbound.Attempt;
import dev.aiusage.outbound.OutboundStatus;

import java.time.Instant;
import java.util.List;

/** The weekly report on its way to (or delivered to) one destination for one week. */
public record ReportDelivery(long id, Trigger trigger, String destination, Instant weekEnding, OutboundStatus status,
                             String payload, Instant createdAt, Instant sentAt, Instant nextAttemptAt, List<Attempt> attempts) {

    /** How a delivery came about. */
    public enum Trigger {
        SCHEDULED, ON_DEMAND
    }
}
