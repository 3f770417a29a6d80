package dev.aiusage.graphql.fetch;

import dev.aiusage.live.UsageFeed;
import dev.aiusage.store.UsageRecord;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The fetchers of {@code schema/live.graphqls}: the stream of records a subscription receives, narrowed to what the
 * caller may read. {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class LiveFetchers {
    private final UsageFeed feed;

    LiveFetchers(UsageFeed feed) {
        this.feed = feed;
    }

    public Publisher<UsageRecord> usageRecorded(DataFetchingEnvironment env) {
        return feed.subscribe(Arguments.filter(env));
    }
}
