package dev.aiusage.budget;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.DailyTrend;
import dev.aiusage.analysis.Interval;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.UniqueViolation;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Budgets: set (one per scope, target and period: setting it again changes it), removed, and shown with where they
 * stand. Spend comes from the daily trend in the budget's zone (the rollups), so a status costs O(days), never
 * O(records).
 */
@Singleton
public class BudgetService {
    static final List<Double> DEFAULT_THRESHOLDS = List.of(0.5, 0.8, 1.0);
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    private static final int MAX_THRESHOLDS = 10;

    private final BudgetRepository budgets;
    private final AnalyticsService analytics;
    private final Clock clock;

    BudgetService(BudgetRepository budgets, AnalyticsService analytics, Clock clock) {
        this.budgets = budgets;
        this.analytics = analytics;
        this.clock = clock;
    }

    /** What an ADMIN sets; null period, zone and thresholds take the defaults (MONTH, UTC, 50/80/100%). */
    public record Input(String name, Budget.Scope scope, String team, String workflow, Double amountUsd, Period period,
                        String timeZone, List<Double> thresholds) {
    }

    public BudgetView set(Input in) {
        String name = Names.require("name", in.name());
        if (in.scope() == null) {
            throw new BadInputException("scope", "scope is required: COMPANY, TEAM or WORKFLOW");
        }
        String target = target(in);
        if (in.amountUsd() == null || !Double.isFinite(in.amountUsd()) || in.amountUsd() <= 0
                || BigDecimal.valueOf(in.amountUsd()).compareTo(MAX_AMOUNT) > 0) {
            throw new BadInputException("amountUsd", "amountUsd must be above 0 and at most 1000000000000");
        }
        BigDecimal amount = BigDecimal.valueOf(in.amountUsd()).setScale(2, RoundingMode.HALF_EVEN);
        if (amount.signum() <= 0) {
            throw new BadInputException("amountUsd", "amountUsd must be at least 0.01");
        }
        Period period = in.period() == null ? Period.MONTH : in.period();
        String zone = in.timeZone() == null ? "UTC" : AnalyticsService.zone(in.timeZone()).getId();
        String thresholds = thresholds(in.thresholds() == null ? DEFAULT_THRESHOLDS : in.thresholds());
        Instant now = clock.instant();
        Optional<Budget> existing = budgets.findByScopeAndTargetAndPeriod(in.scope().name(), target, period.name());
        Budget saved;
        if (existing.isPresent()) {
            Budget old = existing.get();
            saved = budgets.update(new Budget(old.id(), name, old.scope(), target, amount, period.name(), zone, thresholds,
                    old.createdAt(), now));
        } else {
            try {
                saved = budgets.save(new Budget(null, name, in.scope().name(), target, amount, period.name(), zone, thresholds, now, now));
            } catch (DataAccessException e) {
                if (!UniqueViolation.causes(e)) {
                    throw e;
                }
                // set at the same moment by another request: the last one wins, as if it had come second
                Budget other = budgets.findByScopeAndTargetAndPeriod(in.scope().name(), target, period.name()).orElseThrow(() -> e);
                saved = budgets.update(new Budget(other.id(), name, other.scope(), target, amount, period.name(), zone, thresholds,
                        other.createdAt(), now));
            }
        }
        return view(saved, now);
    }

    private static String target(Input in) {
        return switch (in.scope()) {
            case COMPANY -> {
                if (in.team() != null || in.workflow() != null) {
                    throw new BadInputException(in.team() != null ? "team" : "workflow", "a COMPANY budget has no team or workflow");
                }
                yield "";
            }
            case TEAM -> {
                if (in.workflow() != null) {
                    throw new BadInputException("workflow", "a TEAM budget has a team, not a workflow");
                }
                yield Names.require("team", in.team());
            }
            case WORKFLOW -> {
                if (in.team() != null) {
                    throw new BadInputException("team", "a WORKFLOW budget has a workflow, not a team");
                }
                yield Names.require("workflow", in.workflow());
            }
        };
    }

    private static String thresholds(List<Double> shares) {
        if (shares.isEmpty() || shares.size() > MAX_THRESHOLDS) {
            throw new BadInputException("thresholds", "thresholds takes 1 to " + MAX_THRESHOLDS + " shares of the amount");
        }
        List<Double> sorted = shares.stream().sorted().distinct().toList();
        if (sorted.size() != shares.size()) {
            throw new BadInputException("thresholds", "thresholds must not repeat a share");
        }
        for (Double share : sorted) {
            if (share == null || !Double.isFinite(share) || share <= 0 || share > 10) {
                throw new BadInputException("thresholds", "each threshold is a share of the amount above 0 and at most 10 (1 = 100%)");
            }
        }
        return sorted.stream().map(s -> BigDecimal.valueOf(s).stripTrailingZeros().toPlainString()).collect(Collectors.joining(","));
    }

    public boolean delete(long id) {
        if (budgets.findById(id).isEmpty()) {
            return false;
        }
        budgets.deleteById(id);
        return true;
    }

    /** Every budget, or (for a TEAM key) its team's, with where each stands now. */
    public List<BudgetView> list(String team) {
        Instant now = clock.instant();
        List<Budget> found = team == null ? budgets.findAllOrderById()
                : budgets.findByScopeAndTargetOrderById(Budget.Scope.TEAM.name(), team);
        List<BudgetView> views = new ArrayList<>();
        for (Budget b : found) {
            views.add(view(b, now));
        }
        return views;
    }

    List<Budget> all() {
        return budgets.findAllOrderById();
    }

    /** Where {@code b} stands at {@code now}: its period's spend so far and the forecast of its end (see {@link Forecast}). */
    BudgetView view(Budget b, Instant now) {
        ZoneId zone = ZoneId.of(b.timeZone());
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate start = b.periodKind().start(today);
        LocalDate end = b.periodKind().end(today);
        LocalDate historyStart = today.minusDays(Forecast.HISTORY_DAYS);
        LocalDate first = historyStart.isBefore(start) ? historyStart : start;
        Instant from = first.atStartOfDay(zone).toInstant();
        double[] history = new double[Forecast.HISTORY_DAYS];
        double spent = 0;
        double spentToday = 0;
        if (from.isBefore(now)) {
            for (DailyTrend day : analytics.dailyTrend(new TimeWindow(from, now), filter(b), zone.getId())) {
                if (!day.day().isBefore(historyStart) && day.day().isBefore(today)) {
                    history[(int) (day.day().toEpochDay() - historyStart.toEpochDay())] = day.cost();
                }
                if (!day.day().isBefore(start)) {
                    spent += day.cost();
                }
                if (day.day().equals(today)) {
                    spentToday = day.cost();
                }
            }
        }
        Interval forecast = Forecast.of(today, history, spent, spentToday, end);
        double amount = b.amountUsd().doubleValue();
        BudgetStatus status = spent >= amount ? BudgetStatus.OVER
                : forecast.estimate() >= amount ? BudgetStatus.AT_RISK : BudgetStatus.ON_TRACK;
        Budget.Scope scope = b.scopeKind();
        return new BudgetView(b.id(), b.name(), scope, scope == Budget.Scope.TEAM ? b.target() : null,
                scope == Budget.Scope.WORKFLOW ? b.target() : null, amount, b.periodKind(), b.timeZone(), b.thresholdList(),
                start.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant(), now, spent, spent / amount, forecast, status);
    }

    private static UsageFilter filter(Budget b) {
        return switch (b.scopeKind()) {
            case COMPANY -> UsageFilter.NONE;
            case TEAM -> UsageFilter.ofTeam(b.target());
            case WORKFLOW -> new UsageFilter(null, null, null, null, List.of(b.target()), null);
        };
    }
}
