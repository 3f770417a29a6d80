package dev.aiusage.tickets;

import dev.aiusage.outbound.OutboundTarget;

/** A tracker tickets are filed in: it writes a ticket's request body in the tracker's own format. */
interface TicketTarget extends OutboundTarget {
    String payload(TicketContent content);
}
