package dev.aiusage.budget;

import dev.aiusage.analysis.AnomalyService;
import dev.aiusage.analysis.SpendAnomaly;
import dev.aiusage.domain.Formats;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.Outbound;
import dev.aiusage.outbound.OutboundStore;
import dev.aiusage.outbound.TargetSettings;
import dev.aiusage.report.SlackMessage;
import dev.aiusage.store.UniqueViolation;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Alerts through the outbound queue, to Slack and to the generic webhook (whichever are configured), each once:
 * the message's dedupe key names the budget, its period and the threshold (or the anomaly's group and day), and
 * the queue refuses a second message with the same key for a destination, across restarts and instances. Retries
 * and backoff are the queue's, as for the weekly report.
 * <ul>
 *   <li>{@code budget.threshold}: the spend so far reached a threshold's share of the amount (each threshold once a period);</li>
 *   <li>{@code budget.forecast}: the forecast of the period's end reached the amount while the spend had not (once a period);</li>
 *   <li>{@code spend.anomaly}: with {@code aiusage.alerts.anomalies} true, each anomaly of today and yesterday (UTC).</li>
 * </ul>
 */
@Singleton
public class AlertService {
    static final String WEBHOOK_SETTING = "aiusage.alerts.webhook.url";
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private static final List<Destination> DESTINATIONS = List.of(Destination.SLACK, Destination.WEBHOOK);

    private final BudgetService budgets;
    private final AnomalyService anomalies;
    private final OutboundStore store;
    private final Outbound outbound;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration interval;
    private final boolean anomalyAlerts;
    private Instant lastCheck;

    AlertService(BudgetService budgets, AnomalyService anomalies, OutboundStore store, Outbound outbound, JsonMapper json, Clock clock,
                 @Value("${aiusage.alerts.check-interval:5m}") Duration interval,
                 @Value("${aiusage.alerts.anomalies:false}") boolean anomalyAlerts) {
        this.budgets = budgets;
        this.anomalies = anomalies;
        this.store = store;
        this.outbound = outbound;
        this.json = json;
        this.clock = clock;
        this.interval = interval;
        this.anomalyAlerts = anomalyAlerts;
    }

    /** One alert: what makes it the same one, and its text for Slack and body for the webhook. */
    record Alert(String dedupeKey, String slackText, Map<String, Object> webhookBody) {
    }

    /** The scheduler's call: a check when the last is {@code aiusage.alerts.check-interval} ago; the alerts queued. */
    public synchronized int checkDue() {
        Instant now = clock.instant();
        if (lastCheck != null && now.isBefore(lastCheck.plus(interval))) {
            return 0;
        }
        lastCheck = now;
        return check(now);
    }

    /** Queues every alert due at {@code now} not queued before; the number queued. Nothing without a destination. */
    int check(Instant now) {
        List<Destination> destinations = DESTINATIONS.stream().filter(outbound::configured).toList();
        if (destinations.isEmpty()) {
            return 0;
        }
        int queued = 0;
        for (Alert alert : due(now)) {
            for (Destination destination : destinations) {
                queued += queue(destination, alert, now) ? 1 : 0;
            }
        }
        return queued;
    }

    private Stream<Alert> dueBudgets(Instant now) {
        return budgets.all().stream().flatMap(b -> {
            BudgetView view = budgets.view(b, now);
            LocalDate period = view.periodStart().atZone(ZoneId.of(view.timeZone())).toLocalDate();
            String key = "budget:" + view.id() + ":" + period;
            Stream.Builder<Alert> alerts = Stream.builder();
            for (double share : view.thresholds()) {
                if (view.spent() >= share * view.amountUsd()) {
                    alerts.add(threshold(view, share, key + ":spent:" + BigDecimal.valueOf(share).stripTrailingZeros().toPlainString()));
                }
            }
            if (view.spent() < view.amountUsd() && view.forecast().estimate() >= view.amountUsd()) {
                alerts.add(forecast(view, key + ":forecast"));
            }
            return alerts.build();
        });
    }

    List<Alert> due(Instant now) {
        Stream<Alert> all = dueBudgets(now);
        if (anomalyAlerts) {
            Instant yesterday = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            all = Stream.concat(all, anomalies.anomalies(new TimeWindow(yesterday, now), UsageFilter.NONE, "UTC").stream().map(this::anomaly));
        }
        return all.toList();
    }

    private boolean queue(Destination destination, Alert alert, Instant now) {
        if (store.find(destination, alert.dedupeKey()).isPresent()) {
            return false;
        }
        String payload = destination == Destination.SLACK ? TargetSettings.write(json, Map.of("text", alert.slackText()))
                : TargetSettings.write(json, alert.webhookBody());
        try {
            store.create(destination, alert.dedupeKey(), payload, now);
            LOG.info("Queued alert {} for {}", alert.dedupeKey(), destination);
            return true;
        } catch (DataAccessException e) {
            // queued a moment ago by another instance: that message is the one
            if (!UniqueViolation.causes(e)) {
                throw e;
            }
            return false;
        }
    }

    private static String subject(BudgetView view) {
        return switch (view.scope()) {
            case COMPANY -> "company-wide";
            case TEAM -> "team " + view.team();
            case WORKFLOW -> "workflow " + view.workflow();
        };
    }

    private static String periodName(BudgetView view) {
        LocalDate start = view.periodStart().atZone(ZoneId.of(view.timeZone())).toLocalDate();
        return view.period() == Period.MONTH ? start.getYear() + "-" + String.format("%02d", start.getMonthValue())
                : start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
    }

    private static String forecastText(BudgetView view) {
        return "forecast for the period's end " + Formats.cents(view.forecast().estimate()) + " (90% interval "
                + Formats.cents(view.forecast().lower()) + " to " + Formats.cents(view.forecast().upper()) + ")";
    }

    private Alert threshold(BudgetView view, double share, String key) {
        String text = "Budget *" + SlackMessage.escape(view.name()) + "* (" + SlackMessage.escape(subject(view)) + ", " + periodName(view)
                + ") reached " + Formats.percent(share) + ": " + Formats.cents(view.spent()) + " spent of " + Formats.cents(view.amountUsd())
                + "; " + forecastText(view) + ".";
        return new Alert(key, text, body("budget.threshold", view, share));
    }

    private Alert forecast(BudgetView view, String key) {
        String text = "Budget *" + SlackMessage.escape(view.name()) + "* (" + SlackMessage.escape(subject(view)) + ", " + periodName(view)
                + ") is at risk: " + forecastText(view) + " against " + Formats.cents(view.amountUsd()) + "; "
                + Formats.cents(view.spent()) + " spent so far.";
        return new Alert(key, text, body("budget.forecast", view, null));
    }

    private static Map<String, Object> body(String type, BudgetView view, Double share) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("id", view.id());
        budget.put("name", view.name());
        budget.put("scope", view.scope().name());
        budget.put("team", view.team());
        budget.put("workflow", view.workflow());
        budget.put("amountUsd", view.amountUsd());
        budget.put("period", view.period().name());
        budget.put("timeZone", view.timeZone());
        body.put("budget", budget);
        body.put("periodStart", view.periodStart().toString());
        body.put("periodEnd", view.periodEnd().toString());
        if (share != null) {
            body.put("threshold", share);
        }
        body.put("spentUsd", view.spent());
        body.put("forecastUsd", Map.of("estimate", view.forecast().estimate(), "lower", view.forecast().lower(),
                "upper", view.forecast().upper()));
        body.put("status", view.status().name());
        body.put("at", view.asOf().toString());
        return body;
    }

    private Alert anomaly(SpendAnomaly a) {
        String name = a.name() == null ? "(no workflow)" : a.name();
        String key = "anomaly:" + a.dimension() + ":" + name + ":" + a.day();
        String text = "Spend anomaly: " + a.dimension().name().toLowerCase() + " *" + SlackMessage.escape(name) + "* spent "
                + Formats.cents(a.spend()) + " on " + a.day() + " (UTC), against a median of " + Formats.cents(a.baselineMedian())
                + " a day over the 28 days before.";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "spend.anomaly");
        body.put("dimension", a.dimension().name());
        body.put("name", a.name());
        body.put("day", a.day().toString());
        body.put("spendUsd", a.spend());
        body.put("baselineMedianUsd", a.baselineMedian());
        body.put("baselineMadUsd", a.baselineMad());
        body.put("robustScore", a.robustScore());
        return new Alert(key, text, body);
    }
}
