package dev.aiusage.tickets;

import dev.aiusage.outbound.Attempt;
import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.OutboundStatus;

import java.time.Instant;
import java.util.List;

/** A ticket filed (or being filed) for one substitution suggestion in one tracker. */
public record SubstitutionTicket(long id, Destination destination, String workflow, String taskType, String currentModel,
                                 String suggestedModel, double estMonthlySavings, double qualityDiff, double costRatio,
                                 long currentSamples, long suggestedSamples, Instant windowFrom, Instant windowTo,
                                 OutboundStatus status, String ticketKey, String ticketUrl, Instant filedAt,
                                 Instant nextAttemptAt, List<Attempt> attempts) {
}
