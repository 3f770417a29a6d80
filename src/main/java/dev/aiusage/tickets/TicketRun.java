package dev.aiusage.tickets;

import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.outbound.Destination;

import java.time.Instant;
import java.util.List;

/** What one run of the ticket check found and did. */
public record TicketRun(boolean dryRun, double threshold, Instant windowFrom, Instant windowTo, List<Destination> destinations,
                        List<SubstitutionOpportunity> opportunities, List<TicketDraft> drafts,
                        List<SubstitutionTicket> created, List<SubstitutionTicket> alreadyFiled) {
}
