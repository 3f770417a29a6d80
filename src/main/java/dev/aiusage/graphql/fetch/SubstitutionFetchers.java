package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.SubstitutionCriteria;
import dev.aiusage.analysis.SubstitutionOpportunity;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetchers of {@code schema/substitution.graphqls}: cheaper models whose quality is as good, with savings.
 * Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class SubstitutionFetchers {
    private final AnalyticsService analytics;
    private final Clock clock;

    SubstitutionFetchers(AnalyticsService analytics, Clock clock) {
        this.analytics = analytics;
        this.clock = clock;
    }

    public List<SubstitutionOpportunity> substitutionOpportunities(DataFetchingEnvironment env) {
        SubstitutionCriteria criteria = new SubstitutionCriteria(env.getArgument("minSamples"),
                env.<Double>getArgument("maxQualityDiff"), env.<Double>getArgument("minCostRatio"),
                env.<Double>getArgument("confidence"));
        return analytics.substitutionOpportunities(Arguments.window(env, clock), Arguments.filter(env), criteria);
    }
}
