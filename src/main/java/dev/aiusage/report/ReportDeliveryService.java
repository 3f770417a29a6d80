package dev.aiusage.report;

import dev.aiusage.domain.NotConfiguredException;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.Outbound;
import dev.aiusage.outbound.TargetSettings;
import dev.aiusage.store.UniqueViolation;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Delivers the weekly report to Slack: on the schedule, and on demand. Each week goes out once per
 * destination: its delivery keeps the payload built when it was created, retries send that same payload, and
 * once it is SENT it is never sent again.
 */
@Singleton
public class ReportDeliveryService {
    static final String WEBHOOK_SETTING = "aiusage.report.slack.webhook-url";
    private static final Logger LOG = LoggerFactory.getLogger(ReportDeliveryService.class);

    private final WeeklyReportService reports;
    private final DeliveryStore deliveries;
    private final Outbound outbound;
    private final WeeklySchedule schedule;
    private final JsonMapper json;
    private final Clock clock;
    private final int catchUp;

    public ReportDeliveryService(WeeklyReportService reports, DeliveryStore deliveries, Outbound outbound, WeeklySchedule schedule,
                                 JsonMapper json, Clock clock,
                                 @Value("${aiusage.report.schedule.catch-up:4}") int catchUp) {
        this.reports = reports;
        this.deliveries = deliveries;
        this.outbound = outbound;
        this.schedule = schedule;
        this.json = json;
        this.clock = clock;
        this.catchUp = catchUp;
    }

    public boolean enabled() {
        return outbound.configured(Destination.SLACK);
    }

    /**
     * The report over the seven days before {@code weekEnding} (now, to the minute, when null), posted at once.
     * A week that already has a delivery gets that delivery back, tried again now unless it was SENT.
     */
    public SendWeeklyReportResult send(Instant weekEnding, boolean dryRun) {
        Instant end = weekEnding != null ? weekEnding : clock.instant().truncatedTo(ChronoUnit.MINUTES);
        String payload = payload(end);
        if (dryRun) {
            return new SendWeeklyReportResult(true, payload, null);
        }
        if (!enabled()) {
            throw new NotConfiguredException(WEBHOOK_SETTING, "No Slack webhook is configured: set " + WEBHOOK_SETTING
                    + " (or AIUSAGE_REPORT_SLACK_WEBHOOK_URL). A dry run works without one.");
        }
        long id;
        try {
            id = deliveries.deliveryFor(ReportDelivery.Trigger.ON_DEMAND, end, payload, clock.instant());
        } catch (DataAccessException e) {
            // the same week was created by a concurrent send a moment ago: that delivery is the one
            if (!UniqueViolation.causes(e)) {
                throw e;
            }
            id = outbound.find(Destination.SLACK, DeliveryStore.dedupeKey(end)).orElseThrow(() -> e).id();
        }
        outbound.attempt(id, true);
        ReportDelivery delivery = delivery(id);
        return new SendWeeklyReportResult(false, delivery.payload(), delivery);
    }

    /**
     * Records every scheduled run since the last one recorded, oldest first, at most
     * {@code aiusage.report.schedule.catch-up} of them after a long stop, each with its report delivery when
     * Slack is configured. The schedule runs when any destination is configured, since the ticket check
     * follows each run. Returns how many runs were recorded; the caller sends the due messages.
     */
    public int recordDueRuns() {
        if (destinations().isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant last = deliveries.lastRun(now);
        WeeklySchedule.Runs runs = schedule.runsBetween(last, now, catchUp);
        if (runs.skipped() > 0) {
            LOG.warn("The weekly schedule missed {} runs while the service was stopped; doing the last {} only "
                    + "(aiusage.report.schedule.catch-up)", runs.skipped() + runs.due().size(), runs.due().size());
        }
        int recorded = 0;
        Instant previous = last;
        for (Instant run : runs.due()) {
            if (!deliveries.recordRun(previous, run, enabled() ? payload(run) : null, now)) {
                break;
            }
            previous = run;
            recorded++;
        }
        return recorded;
    }

    public List<ReportDelivery> deliveries(int first) {
        return deliveries.list(first, null);
    }

    public ReportScheduleInfo schedule() {
        List<String> destinations = destinations();
        boolean active = !destinations.isEmpty();
        return new ReportScheduleInfo(active, schedule.expression(), schedule.zone().getId(),
                active ? schedule.nextRun(clock.instant()).orElse(null) : null, destinations);
    }

    /** The configured destinations the schedule serves: the report's and the trackers' (the alert webhook's is not). */
    private List<String> destinations() {
        return Arrays.stream(Destination.values()).filter(d -> d != Destination.WEBHOOK).filter(outbound::configured)
                .map(d -> d.name().toLowerCase()).toList();
    }

    private ReportDelivery delivery(long id) {
        return deliveries.list(1, id).get(0);
    }

    /** The webhook body: {@code {"text": ...}} with the report in Slack mrkdwn. */
    private String payload(Instant weekEnding) {
        return TargetSettings.write(json, Map.of("text", SlackMessage.text(reports.figures(weekEnding, UsageFilter.NONE))));
    }
}
