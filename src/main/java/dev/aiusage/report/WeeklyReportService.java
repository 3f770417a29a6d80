package dev.aiusage.report;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.AnomalyService;
import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.SpendAnomaly;
import dev.aiusage.analysis.SubstitutionCriteria;
import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.analysis.TeamCost;
import dev.aiusage.analysis.WorkflowCost;
import dev.aiusage.analysis.adoption.AdoptionService;
import dev.aiusage.domain.Formats;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The article's weekly report: cost by team, top five workflows by cost with pass rate, model efficiency
 * over the week, cost-reduction opportunities over the 30 days before the week's end (a week holds too
 * few scored calls to compare models on), and adoption: who is building and who is blocked.
 */
@Singleton
public class WeeklyReportService {
    static final int TOP_WORKFLOWS = 5;
    static final int TOP_OPPORTUNITIES = 5;
    static final int TOP_ANOMALIES = 5;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final AnalyticsService analytics;
    private final AdoptionService adoption;
    private final AnomalyService anomalies;
    private final Clock clock;

    public WeeklyReportService(AnalyticsService analytics, AdoptionService adoption, AnomalyService anomalies, Clock clock) {
        this.analytics = analytics;
        this.adoption = adoption;
        this.anomalies = anomalies;
        this.clock = clock;
    }

    /** The report over the seven days before {@code weekEnding}, or before now when it is null. */
    public WeeklyReport build(Instant weekEnding, UsageFilter filter) {
        WeeklyFigures figures = figures(weekEnding, filter);
        return new WeeklyReport(figures.weekStart(), figures.weekEnd(), markdown(figures));
    }

    /** The figures of the week before {@code weekEnding} (now when null), the week before that for comparison. */
    public WeeklyFigures figures(Instant weekEnding, UsageFilter filter) {
        Instant end = weekEnding == null ? clock.instant() : weekEnding;
        TimeWindow week = new TimeWindow(end.minus(Duration.ofDays(7)), end);
        TimeWindow previous = new TimeWindow(week.from().minus(Duration.ofDays(7)), week.from());
        TimeWindow month = new TimeWindow(end.minus(Duration.ofDays(30)), end);
        return new WeeklyFigures(week.from(), end, analytics.costByTeam(week, filter), analytics.costByTeam(previous, filter),
                analytics.costByWorkflow(week, filter), analytics.modelEfficiency(week, filter),
                analytics.substitutionOpportunities(month, filter, SubstitutionCriteria.DEFAULT),
                adoption.adoption(week, filter.teams(), null), anomalies.anomalies(week, filter, "UTC"));
    }

    private static String markdown(WeeklyFigures f) {
        List<TeamCost> teams = f.teams();
        List<WorkflowCost> workflows = f.workflows();
        List<ModelEfficiency> models = f.models();
        List<SubstitutionOpportunity> opportunities = f.opportunities();
        Instant end = f.weekEnd();
        double total = f.totalCost();
        long calls = f.calls();
        StringBuilder md = new StringBuilder();
        md.append("# AI Usage Report — week of ").append(DAY.format(f.weekStart())).append(" to ")
                .append(DAY.format(end.minusNanos(1))).append("\n\n");
        md.append("_7 days ending ").append(MINUTE.format(end)).append(" UTC: ").append(Formats.usd(total))
                .append(" over ").append(Formats.count(calls, "call")).append("._\n");
        long unpriced = teams.stream().mapToLong(TeamCost::unpricedRequests).sum();
        if (unpriced > 0) {
            // never a silent zero: calls without a price count 0 in every sum above until they are repriced
            md.append("\n**").append(Formats.count(unpriced, "call")).append(" had no price** and count $0 here: see unpricedUsage, ")
                    .append("add a custom price, then repriceUsage.\n");
        }

        md.append("\n## Cost by Team (last 7 days)\n");
        if (teams.isEmpty()) {
            md.append("_No usage this week._\n");
        }
        for (TeamCost t : teams) {
            md.append("- ").append(t.team()).append(": ").append(Formats.usd(t.totalCost()))
                    .append(" (").append(Formats.count(t.requests(), "request")).append(", ")
                    .append(Formats.count(t.tokens(), "token")).append(", avg quality ")
                    .append(Formats.score(t.avgQuality())).append(")\n");
        }

        md.append("\n## Top Workflows by Cost\n");
        if (workflows.isEmpty()) {
            md.append("_No usage this week._\n");
        }
        for (WorkflowCost w : workflows.stream().limit(TOP_WORKFLOWS).toList()) {
            md.append("- ").append(workflowName(w.workflow())).append(" / ").append(w.taskType())
                    .append(" [").append(w.model()).append("]: ").append(Formats.usd(w.totalCost()))
                    .append(", ").append(Formats.count(w.requests(), "request")).append(", pass rate ")
                    .append(w.passRate() == null ? "n/a (no checked calls)" : Formats.percent(w.passRate()))
                    .append("\n");
        }

        md.append("\n## Model Efficiency (scored calls)\n");
        if (models.isEmpty()) {
            md.append("_No scored calls this week._\n");
        }
        for (ModelEfficiency m : models) {
            md.append("- ").append(m.model()).append(": avg quality ").append(Formats.score(m.avgQuality()))
                    .append(", avg cost ").append(Formats.unitUsd(m.avgCost())).append(" per call, ")
                    .append(Formats.count(m.requests(), "call")).append("\n");
        }

        md.append("\n## Cost Reduction Opportunities (last 30 days)\n");
        if (opportunities.isEmpty()) {
            md.append("_None found: no cheaper model matches the quality of one in use with at least ")
                    .append(SubstitutionCriteria.DEFAULT.minSamples()).append(" scored calls each._\n");
        }
        for (SubstitutionOpportunity o : opportunities.stream().limit(TOP_OPPORTUNITIES).toList()) {
            md.append("- ").append(workflowName(o.workflow())).append(" / ").append(o.taskType())
                    .append(": switch ").append(o.currentModel()).append(" to ").append(o.betterModel())
                    .append(", est. savings ").append(Formats.usd(o.estMonthlySavings())).append("/mo (")
                    .append(Formats.ratio(o.costRatio())).append(" cheaper, quality diff ")
                    .append(Formats.signed(o.qualityDiff())).append(" over ")
                    .append(Formats.count(o.currentSamples())).append(" vs ")
                    .append(Formats.count(o.betterSamples())).append(" scored calls)\n")
                    .append("  - ").append(o.evidence()).append("\n");
        }

        md.append("\n## Spend Anomalies (last 7 days)\n");
        if (f.anomalies().isEmpty()) {
            md.append("_None: no team or workflow spent far above its 28-day baseline on any day._\n");
        }
        for (String line : anomalyLines(f.anomalies())) {
            md.append("- ").append(line).append("\n");
        }

        md.append("\n## Adoption (last 7 days)\n");
        for (String line : AdoptionLines.of(f.adoption())) {
            md.append(line.equals(AdoptionLines.NO_DIRECTORY) ? "_" + line + "_" : "- " + line).append("\n");
        }
        return md.toString();
    }

    /** At most {@link #TOP_ANOMALIES} anomalies, largest excess first, one line each. */
    static List<String> anomalyLines(List<SpendAnomaly> anomalies) {
        return anomalies.stream().limit(TOP_ANOMALIES).map(a -> a.day() + ": " + a.dimension().name().toLowerCase() + " "
                + (a.dimension() == SpendAnomaly.Dimension.WORKFLOW ? workflowName(a.name()) : a.name()) + " spent " + Formats.cents(a.spend())
                + " against a median of " + Formats.cents(a.baselineMedian()) + " a day over the 28 days before"
                + (a.robustScore() == null ? "" : " (score " + new java.text.DecimalFormat("0.0", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.US))
                .format(a.robustScore()) + ")")).toList();
    }

    static String workflowName(String workflow) {
        return workflow == null ? "(no workflow)" : workflow;
    }
}
