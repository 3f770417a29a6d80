package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.DailyTrend;
import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.TeamCost;
import dev.aiusage.analysis.Bucket;
import dev.aiusage.analysis.UsageBreakdown;
import dev.aiusage.analysis.UsageBreakdownService;
import dev.aiusage.analysis.UsageOrder;
import dev.aiusage.store.Dimension;
import dev.aiusage.analysis.WorkflowCost;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetchers of {@code schema/analytics.graphqls} (cost by team, by workflow and by day, model efficiency) and
 * of {@code schema/usage.graphqls} (the breakdown).
 * Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class AnalyticsFetchers {
    private final AnalyticsService analytics;
    private final UsageBreakdownService breakdowns;
    private final Clock clock;

    AnalyticsFetchers(AnalyticsService analytics, UsageBreakdownService breakdowns, Clock clock) {
        this.analytics = analytics;
        this.breakdowns = breakdowns;
        this.clock = clock;
    }

    public List<TeamCost> costByTeam(DataFetchingEnvironment env) {
        return analytics.costByTeam(Arguments.window(env, clock), Arguments.filter(env));
    }

    public List<WorkflowCost> costByWorkflow(DataFetchingEnvironment env) {
        return analytics.costByWorkflow(Arguments.window(env, clock), Arguments.filter(env));
    }

    public List<ModelEfficiency> modelEfficiency(DataFetchingEnvironment env) {
        return analytics.modelEfficiency(Arguments.window(env, clock), Arguments.filter(env));
    }

    public List<DailyTrend> dailyTrend(DataFetchingEnvironment env) {
        return analytics.dailyTrend(Arguments.window(env, clock), Arguments.filter(env), env.getArgument("timeZone"));
    }

    public UsageBreakdown usage(DataFetchingEnvironment env) {
        List<String> groupBy = env.getArgument("groupBy");
        String bucket = env.getArgument("bucket");
        return breakdowns.usage(Arguments.window(env, clock), Arguments.filter(env),
                groupBy == null ? List.of() : groupBy.stream().map(Dimension::valueOf).toList(),
                bucket == null ? null : Bucket.valueOf(bucket), env.getArgument("timeZone"),
                UsageOrder.valueOf(env.getArgument("orderBy")), env.getArgument("limit"), env.getArgument("comparePrevious"),
                env.getSelectionSet().containsAnyOf("**/latencyP50Ms", "**/latencyP95Ms", "**/latencyP99Ms"));
    }
}
