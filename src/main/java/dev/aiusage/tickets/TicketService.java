package dev.aiusage.tickets;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.SubstitutionCriteria;
import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.analysis.Verdict;
import dev.aiusage.domain.NotConfiguredException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.outbound.Outbound;
import dev.aiusage.outbound.OutboundMessage;
import dev.aiusage.store.UniqueViolation;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Files a ticket for each substitution opportunity whose estimated monthly savings exceed the threshold and whose
 * verdict is RECOMMENDED (unless {@code aiusage.tickets.only-recommended} is false), in
 * every configured tracker, once per suggestion: a suggestion already filed (whatever its ticket's fate) is
 * not filed again, and a changed suggestion for the same workflow, task and model is a new one.
 */
@Singleton
public class TicketService {
    private final AnalyticsService analytics;
    private final TicketStore tickets;
    private final Outbound outbound;
    private final List<TicketTarget> targets;
    private final Clock clock;
    private final double threshold;
    private final int windowDays;
    private final boolean onlyRecommended;

    public TicketService(AnalyticsService analytics, TicketStore tickets, Outbound outbound, List<TicketTarget> targets, Clock clock,
                         @Value("${aiusage.tickets.threshold:50}") double threshold,
                         @Value("${aiusage.tickets.window-days:30}") int windowDays,
                         @Value("${aiusage.tickets.only-recommended:true}") boolean onlyRecommended) {
        this.analytics = analytics;
        this.tickets = tickets;
        this.outbound = outbound;
        this.targets = targets.stream().sorted(Comparator.comparing(TicketTarget::destination)).toList();
        this.clock = clock;
        this.threshold = threshold;
        this.windowDays = TimeWindow.checkDays(windowDays);
        this.onlyRecommended = onlyRecommended;
    }

    public boolean enabled() {
        return !targets.isEmpty();
    }

    /** The on-demand run: refused when no tracker is configured, unless it is a dry run. */
    public TicketRun run(boolean dryRun) {
        if (!dryRun && !enabled()) {
            throw new NotConfiguredException("aiusage.tickets", "No ticket tracker is configured: set aiusage.tickets.jira.* or "
                    + "aiusage.tickets.clickup.* (see the README). A dry run works without one.");
        }
        return check(dryRun);
    }

    /** The run after each scheduled report; nothing to do without a tracker. */
    public void runScheduled() {
        if (enabled()) {
            check(false);
        }
    }

    private TicketRun check(boolean dryRun) {
        Instant now = clock.instant();
        TimeWindow window = new TimeWindow(now.minus(Duration.ofDays(windowDays)), now);
        List<SubstitutionOpportunity> above = analytics.substitutionOpportunities(window, UsageFilter.NONE, SubstitutionCriteria.DEFAULT)
                .stream().filter(o -> o.estMonthlySavings() > threshold)
                .filter(o -> !onlyRecommended || o.verdict() == Verdict.RECOMMENDED).toList();
        List<TicketDraft> drafts = new ArrayList<>();
        List<Long> created = new ArrayList<>();
        List<Long> existing = new ArrayList<>();
        for (SubstitutionOpportunity o : above) {
            for (TicketTarget target : targets) {
                Optional<OutboundMessage> filed = outbound.find(target.destination(), TicketStore.dedupeKey(o));
                if (filed.isPresent()) {
                    existing.add(filed.get().id());
                    continue;
                }
                String payload = target.payload(TicketContent.of(o, window));
                drafts.add(new TicketDraft(target.destination(), o.workflow(), o.taskType(), o.currentModel(), o.betterModel(), payload));
                if (!dryRun) {
                    try {
                        created.add(tickets.create(target.destination(), o, window, payload, now));
                    } catch (DataAccessException e) {
                        // another run (the schedule, the mutation) filed the same suggestion a moment ago
                        if (!UniqueViolation.causes(e)) {
                            throw e;
                        }
                        outbound.find(target.destination(), TicketStore.dedupeKey(o)).ifPresent(m -> existing.add(m.id()));
                    }
                }
            }
        }
        for (Long id : created) {
            outbound.attempt(id, false);
        }
        return new TicketRun(dryRun, threshold, window.from(), window.to(), targets.stream().map(TicketTarget::destination).toList(),
                above, drafts, tickets.list(created).stream().sorted(Comparator.comparingLong(SubstitutionTicket::id)).toList(),
                tickets.list(existing));
    }

    public List<SubstitutionTicket> tickets() {
        return tickets.list(null);
    }
}
