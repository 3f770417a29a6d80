package dev.aiusage.graphql.fetch;

import dev.aiusage.analysis.RecordBrowser;
import dev.aiusage.analysis.RecordPage;
import dev.aiusage.store.UsageRecord;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The fetchers of {@code schema/records.graphqls}: the raw records, page by page, and a record's prompt
 * template. Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires them to
 * the schema.
 */
@Singleton
public class RecordFetchers {
    private final RecordBrowser records;

    RecordFetchers(RecordBrowser records) {
        this.records = records;
    }

    public RecordPage usageRecords(DataFetchingEnvironment env) {
        // the total is summed only when asked for, in the same call (and time budget) as the page
        return records.page(Arguments.filter(env), env.getArgument(Arguments.DAYS), env.getArgument(Arguments.FROM),
                env.getArgument(Arguments.TO), env.getArgument("first"), env.getArgument("after"), env.getArgument("last"),
                env.getArgument("before"), env.getSelectionSet().contains("totalCount"));
    }

    /** A record's template name and version, as one object (stored as two columns). */
    public static Map<String, String> promptTemplate(DataFetchingEnvironment env) {
        UsageRecord record = env.getSource();
        return record.promptTemplate() == null ? null : Map.of("name", record.promptTemplate(), "version", record.promptVersion());
    }
}
