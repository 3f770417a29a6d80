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
        return records.page(Arguments.filter(env), env.getArgument(Arguments.DAYS), env.getArgument(Arguments.FROM),
                env.getArgument(Arguments.TO), env.getArgumentOrDefault("first", 50), env.getArgument("after"));
    }

    /** A record's template name and version, as one object (stored as two columns). */
    public static Map<String, String> promptTemplate(DataFetchingEnvironment env) {
        UsageRecord record = env.getSource();
        return record.promptTemplate() == null ? null : Map.of("name", record.promptTemplate(), "version", record.promptVersion());
    }
}
