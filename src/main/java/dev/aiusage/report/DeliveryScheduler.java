package dev.aiusage.report;

import dev.aiusage.budget.AlertService;
import dev.aiusage.outbound.Outbound;
import dev.aiusage.tickets.TicketService;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock that drives delivery: every {@code aiusage.outbound.poll-interval} it records the scheduled
 * report runs that have come due (then checks for tickets to file), queues the budget and anomaly alerts due
 * (at most every {@code aiusage.alerts.check-interval}), and sends every message whose attempt is due. All state
 * lives in the database, so a restart picks up exactly where the last run stopped.
 */
@Singleton
// not in the `import` command's context (ImportCommand): a file import sends no report or ticket
@io.micronaut.context.annotation.Requires(notEnv = "import")
public class DeliveryScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);

    private final ReportDeliveryService reports;
    private final TicketService tickets;
    private final AlertService alerts;
    private final Outbound outbound;

    public DeliveryScheduler(ReportDeliveryService reports, TicketService tickets, AlertService alerts, Outbound outbound) {
        this.reports = reports;
        this.tickets = tickets;
        this.alerts = alerts;
        this.outbound = outbound;
    }

    @Scheduled(fixedDelay = "${aiusage.outbound.poll-interval:30s}", initialDelay = "${aiusage.outbound.initial-delay:10s}")
    void scheduled() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("The delivery run failed; it runs again at the next interval", e);
        }
    }

    /** One round: due report runs, the alerts due, every due attempt, then (if there were runs) the ticket check. */
    public void tick() {
        int runs = reports.recordDueRuns();
        alerts.checkDue();
        outbound.sendDue();
        if (runs > 0) {
            tickets.runScheduled();
        }
    }
}
