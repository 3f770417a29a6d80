package dev.aiusage.tickets;

import dev.aiusage.outbound.Destination;

/** A ticket a run files, or on a dry run would file, with the exact request body. */
public record TicketDraft(Destination destination, String workflow, String taskType, String currentModel,
                          String suggestedModel, String payload) {
}
