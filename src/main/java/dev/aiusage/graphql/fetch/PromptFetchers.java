package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.prompts.PromptInsights;
import dev.aiusage.analysis.prompts.PromptInsightsService;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The fetchers of {@code schema/prompts.graphqls}: prompt templates compared by quality, cost and size. Each
 * reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class PromptFetchers {
    private final PromptInsightsService prompts;
    private final Clock clock;

    PromptFetchers(PromptInsightsService prompts, Clock clock) {
        this.prompts = prompts;
        this.clock = clock;
    }

    public PromptInsights promptInsights(DataFetchingEnvironment env) {
        return prompts.insights(Arguments.window(env, clock), Arguments.filter(env));
    }
}
