package dev.aiusage.graphql.fetch;

import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.RecordUsageResult;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * The fetchers of {@code schema/ingest.graphqls}: recording usage, one call or a batch. Each reads its
 * arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class IngestFetchers {
    private final IngestService ingest;

    IngestFetchers(IngestService ingest) {
        this.ingest = ingest;
    }

    public RecordUsageResult recordUsage(DataFetchingEnvironment env) {
        return ingest.recordOne(Arguments.usageInput(env.getArgument("input")));
    }

    public RecordUsageResult recordUsageBatch(DataFetchingEnvironment env) {
        List<Map<String, Object>> inputs = env.getArgument("inputs");
        return ingest.recordBatch(inputs.stream().map(Arguments::usageInput).toList());
    }
}
