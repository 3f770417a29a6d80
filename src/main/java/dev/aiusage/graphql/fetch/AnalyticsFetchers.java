package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.DailyTrend;
import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.TeamCost;

import dev.aiusage.analysis.WorkflowCost;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetchers of {@code schema/analytics.graphqls}: cost by team, by workflow and by day, and model efficiency.
 * Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class AnalyticsFetchers {
    private final AnalyticsService analytics;
    private final Clock clock;

    AnalyticsFetchers(AnalyticsService analytics, Clock clock) {
        this.analytics = analytics;
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
}
