package dev.aiusage.analysis;

import dev.aiusage.store.QueryBudget;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.store.DayStats;
import dev.aiusage.store.Dimension;
import dev.aiusage.store.GroupStats;
import dev.aiusage.store.UsageAggregates;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The article's analytics, with its defects fixed: explicit half-open windows, averages that ignore
 * missing values, pass rates over checked calls only, and a substitution search over every model pair.
 * The database sums and counts; this class derives averages and orders the answer.
 */
@Singleton
public class AnalyticsService {
    private static final Comparator<String> NAME_ORDER = Comparator.nullsLast(Comparator.naturalOrder());
    private static final double MIN_COST_DIVISOR = 0.0001;

    private final UsageAggregates aggregates;

    public AnalyticsService(UsageAggregates aggregates) {
        this.aggregates = aggregates;
    }

    /** Spend per team, dearest first, ties by name. */
    public List<TeamCost> costByTeam(TimeWindow window, UsageFilter filter) {
        return aggregates.groupStats(window, filter, List.of(Dimension.TEAM)).stream()
                .sorted(Comparator.comparing(GroupStats::cost).reversed().thenComparing(g -> g.key(0), NAME_ORDER))
                .map(g -> new TeamCost(g.key(0), g.cost().doubleValue(), g.requests(), g.tokens(),
                        average(g.qualitySum(), g.qualityCount()), g.unpriced()))
                .toList();
    }

    /** Spend per workflow, task type and model, dearest first, ties by those names. */
    public List<WorkflowCost> costByWorkflow(TimeWindow window, UsageFilter filter) {
        return workflowModelStats(window, filter).stream()
                .sorted(Comparator.comparing(GroupStats::cost).reversed()
                        .thenComparing(g -> g.key(0), NAME_ORDER)
                        .thenComparing(g -> g.key(1), NAME_ORDER)
                        .thenComparing(g -> g.key(2), NAME_ORDER))
                .map(g -> new WorkflowCost(g.key(0), g.key(1), g.key(2), g.cost().doubleValue(), g.requests(),
                        exactAverage(g.cost(), g.requests()).doubleValue(),
                        average(BigDecimal.valueOf(g.latencySum()), g.latencyCount()),
                        average(g.qualitySum(), g.qualityCount()),
                        average(BigDecimal.valueOf(g.passed()), g.verdicts()), g.unpriced()))
                .toList();
    }

    /** Quality against cost per model over scored calls: best quality first, then cheapest, then name. */
    public List<ModelEfficiency> modelEfficiency(TimeWindow window, UsageFilter filter) {
        record Ranked(GroupStats stats, BigDecimal quality, BigDecimal cost) {
        }
        return aggregates.groupStats(window, filter, List.of(Dimension.MODEL)).stream()
                .filter(g -> g.qualityCount() > 0)
                .map(g -> new Ranked(g, exactAverage(g.qualitySum(), g.qualityCount()), exactAverage(g.scoredCost(), g.qualityCount())))
                .sorted(Comparator.comparing(Ranked::quality).reversed()
                        .thenComparing(Ranked::cost)
                        .thenComparing(r -> r.stats().key(0), NAME_ORDER))
                .map(r -> new ModelEfficiency(r.stats().key(0), r.stats().scoredCost().doubleValue(), r.cost().doubleValue(),
                        average(BigDecimal.valueOf(r.stats().scoredLatencySum()), r.stats().scoredLatencyCount()),
                        r.quality().doubleValue(), r.stats().qualityCount()))
                .toList();
    }

    /** One row per calendar day of the window in {@code timeZone}, empty days as zeros, oldest first. */
    public List<DailyTrend> dailyTrend(TimeWindow window, UsageFilter filter, String timeZone) {
        ZoneId zone = zone(timeZone);
        Map<LocalDate, DayStats> byDay = aggregates.dailyStats(window, filter, zone).stream()
                .collect(Collectors.toMap(DayStats::day, Function.identity()));
        LocalDate first = window.from().atZone(zone).toLocalDate();
        LocalDate last = window.to().minusNanos(1).atZone(zone).toLocalDate();
        List<DailyTrend> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            QueryBudget.checkpoint();
            DayStats stats = byDay.get(day);
            days.add(stats == null ? new DailyTrend(day, 0, 0, 0, 0)
                    : new DailyTrend(day, stats.cost().doubleValue(), stats.requests(), stats.activeTeams(), stats.unpriced()));
        }
        return days;
    }

    /**
     * For each workflow and task type, each model with enough scored calls is paired with the cheapest other
     * model (by average cost of all its calls) that has enough scored calls, is cheaper by more than the
     * cost ratio, and whose quality is lower by less than the allowed difference, or higher. Savings are
     * projected from the window's own length, not from a fixed week.
     */
    public List<SubstitutionOpportunity> substitutionOpportunities(TimeWindow window, UsageFilter filter,
                                                                   SubstitutionCriteria criteria) {
        record ModelStats(String model, GroupStats sums, double avgCost, double avgQuality) {
            Inference.Sample quality() {
                return new Inference.Sample(sums.qualityCount(), sums.qualitySum(), sums.qualitySquares());
            }

            Inference.Sample cost() {
                return new Inference.Sample(sums.requests(), sums.cost(), sums.costSquares());
            }
        }
        record Pair(List<String> task, ModelStats current, ModelStats better) {
        }
        Map<List<String>, List<ModelStats>> byTask = new LinkedHashMap<>();
        for (GroupStats g : workflowModelStats(window, filter)) {
            QueryBudget.checkpoint();
            if (g.qualityCount() >= criteria.minSamples()) {
                byTask.computeIfAbsent(Arrays.asList(g.key(0), g.key(1)), k -> new ArrayList<>())
                        .add(new ModelStats(g.key(2), g, exactAverage(g.cost(), g.requests()).doubleValue(),
                                exactAverage(g.qualitySum(), g.qualityCount()).doubleValue()));
            }
        }
        List<Pair> pairs = new ArrayList<>();
        byTask.forEach((task, models) -> {
            for (ModelStats current : models) {
                QueryBudget.checkpoint();
                models.stream()
                        .filter(n -> n != current)
                        .filter(n -> current.avgCost() / Math.max(n.avgCost(), MIN_COST_DIVISOR) > criteria.minCostRatio())
                        .filter(n -> current.avgQuality() - n.avgQuality() < criteria.maxQualityDiff())
                        .min(Comparator.comparingDouble(ModelStats::avgCost).thenComparing(ModelStats::model))
                        .ifPresent(n -> pairs.add(new Pair(task, current, n)));
            }
        });
        // the tests first, for Holm's adjustment over every pair in the answer
        double alpha = 1 - criteria.confidence();
        Inference.Welch[] quality = new Inference.Welch[pairs.size()];
        double[] p = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            quality[i] = Inference.Welch.of(pairs.get(i).current().quality(), pairs.get(i).better().quality());
            p[i] = quality[i].known() ? quality[i].nonInferiorityP(criteria.maxQualityDiff()) : 1;
        }
        double[] adjusted = Inference.holm(p);
        double monthFactor = 30 / window.lengthInDays();
        List<SubstitutionOpportunity> found = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair pair = pairs.get(i);
            ModelStats current = pair.current();
            ModelStats n = pair.better();
            double volume = current.sums().requests() * monthFactor;
            double savings = (current.avgCost() - n.avgCost()) * volume;
            // the widest difference two scores in [0, 1] can have, while a variance is unknown
            double[] diff = quality[i].known() ? quality[i].interval(criteria.confidence()) : new double[] {-1, 1};
            Inference.Welch cost = Inference.Welch.of(current.cost(), n.cost());
            double[] perCall = cost.known() ? cost.interval(criteria.confidence()) : new double[] {cost.diff(), cost.diff()};
            Verdict verdict = adjusted[i] < alpha ? Verdict.RECOMMENDED : Verdict.NEEDS_MORE_DATA;
            Integer needed = verdict == Verdict.RECOMMENDED ? null
                    : Inference.samplesNeeded(current.quality(), n.quality(), criteria.maxQualityDiff(), alpha / pairs.size());
            SubstitutionStatistics statistics = new SubstitutionStatistics(diff[0], diff[1], criteria.confidence(), p[i], adjusted[i],
                    needed, Inference.wilson(current.sums().passed(), current.sums().verdicts(), criteria.confidence()),
                    Inference.wilson(n.sums().passed(), n.sums().verdicts(), criteria.confidence()),
                    perCall[0] * volume, perCall[1] * volume);
            found.add(new SubstitutionOpportunity(pair.task().get(0), pair.task().get(1), current.model(), n.model(),
                    current.avgQuality() - n.avgQuality(), current.avgCost() / Math.max(n.avgCost(), MIN_COST_DIVISOR), savings,
                    current.sums().requests(), current.sums().qualityCount(), n.sums().qualityCount(), statistics, verdict));
        }
        found.sort(Comparator.comparingDouble(SubstitutionOpportunity::estMonthlySavings).reversed()
                .thenComparing(SubstitutionOpportunity::workflow, NAME_ORDER)
                .thenComparing(SubstitutionOpportunity::taskType)
                .thenComparing(SubstitutionOpportunity::currentModel));
        return found;
    }

    private List<GroupStats> workflowModelStats(TimeWindow window, UsageFilter filter) {
        return aggregates.groupStats(window, filter, List.of(Dimension.WORKFLOW, Dimension.TASK_TYPE, Dimension.MODEL));
    }

    public static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            // the value is not echoed: it is free text from the client, and may be anything
            throw new BadInputException("timeZone", "timeZone is not a known time zone; use an IANA name such as Europe/Berlin or UTC");
        }
    }

    private static BigDecimal exactAverage(BigDecimal sum, long count) {
        return sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64);
    }

    /** The average of values that were present; null when none were. */
    private static Double average(BigDecimal sum, long count) {
        return count == 0 ? null : exactAverage(sum, count).doubleValue();
    }
}
