package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.Bucket;
import dev.aiusage.analysis.UsageBreakdown;
import dev.aiusage.analysis.UsageBreakdownService;
import dev.aiusage.analysis.UsageOrder;
import dev.aiusage.store.Dimension;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The fetcher of {@code schema/usage.graphqls}: the breakdown. Latency percentiles are read only when the query
 * selects one of them.
 */
@Singleton
public class UsageFetchers {
    private final UsageBreakdownService breakdowns;
    private final Clock clock;

    UsageFetchers(UsageBreakdownService breakdowns, Clock clock) {
        this.breakdowns = breakdowns;
        this.clock = clock;
    }

    public UsageBreakdown usage(DataFetchingEnvironment env) {
        List<String> groupBy = env.getArgument("groupBy");
        String bucket = env.getArgument("bucket");
        return breakdowns.usage(Arguments.window(env, clock), Arguments.filter(env),
                groupBy == null ? List.of() : groupBy.stream().map(Dimension::valueOf).toList(),
                bucket == null ? null : Bucket.valueOf(bucket), env.getArgument("timeZone"),
                UsageOrder.valueOf(env.getArgument("orderBy")), env.getArgument("limit"), env.getArgument("comparePrevious"),
                env.getSelectionSet().containsAnyOf("**/latencyP50Ms", "**/latencyP95Ms", "**/latencyP99Ms"),
                env.getSelectionSet().contains("**/costByKind"));
    }
}
