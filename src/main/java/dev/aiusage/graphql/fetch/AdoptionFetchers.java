package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.adoption.Adoption;
import dev.aiusage.analysis.adoption.AdoptionService;
import dev.aiusage.analysis.adoption.AdoptionWeek;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetchers of {@code schema/adoption.graphqls}: who uses AI, who has access and does not, and the trend by
 * week. Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the
 * schema.
 */
@Singleton
public class AdoptionFetchers {
    private final AdoptionService adoption;
    private final Clock clock;

    AdoptionFetchers(AdoptionService adoption, Clock clock) {
        this.adoption = adoption;
        this.clock = clock;
    }

    public Adoption adoption(DataFetchingEnvironment env) {
        return adoption.adoption(Arguments.window(env, clock), Arguments.teams(env), env.getArgument("activeCallsPerWeek"));
    }

    public List<AdoptionWeek> adoptionTrend(DataFetchingEnvironment env) {
        return adoption.trend(env.getArgumentOrDefault("weeks", 12), Arguments.teams(env), env.getArgument("activeCallsPerWeek"), clock.instant());
    }
}
