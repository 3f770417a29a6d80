package dev.aiusage.bench;

import dev.aiusage.ingest.UsageInput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The column-scan floor: DuckDB in process and in memory, the article's five queries (as in
 * {@link SqliteBaseline}, with DuckDB's spelling of a date) scanning the raw records. No index, no rollup: what
 * a query costs when an engine built for scans reads every record of the window.
 */
final class DuckDbBaseline implements AutoCloseable {
    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        SqliteBaseline.QUERIES.forEach((name, sql) -> QUERIES.put(name, sql.replace("DATE(ts)", "CAST(ts AS DATE)")));
    }

    private final Connection connection;

    DuckDbBaseline() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("""
                    CREATE TABLE ai_usage (ts TIMESTAMPTZ NOT NULL, provider VARCHAR NOT NULL, model VARCHAR NOT NULL,
                    team VARCHAR NOT NULL, user_name VARCHAR, task_type VARCHAR NOT NULL, workflow VARCHAR, input_tokens INTEGER,
                    output_tokens INTEGER, cost_usd DOUBLE NOT NULL, latency_ms INTEGER, quality_score DOUBLE,
                    passed_quality BOOLEAN, request_id VARCHAR, session_id VARCHAR)""");
        }
    }

    /**
     * Loads records 0 to n - 1 through a CSV file and DuckDB's COPY (its fastest load over plain JDBC: the
     * driver is on the class path only when the benchmark runs, so nothing here compiles against it).
     */
    void load(LongFunction<UsageInput> records, long n, Path scratch) throws SQLException, IOException {
        Path csv = scratch.resolve("duckdb-load.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            for (long i = 0; i < n; i++) {
                UsageInput r = records.apply(i);
                out.write(String.join(",", r.ts().withOffsetSameInstant(ZoneOffset.UTC).toString(), r.provider(), r.model(), r.team(),
                        text(r.user()), r.taskType(), text(r.workflow()), text(r.inputTokens()), text(r.outputTokens()), text(r.costUsd()),
                        text(r.latencyMs()), text(r.qualityScore()), text(r.passedQuality()), text(r.requestId()), text(r.sessionId())));
                out.newLine();
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("COPY ai_usage FROM '" + csv.toAbsolutePath() + "' (HEADER false, NULLSTR '')");
        }
        Files.delete(csv);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Runs one query over {@code [from, to)} and reads every row. */
    void run(String name, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(QUERIES.get(name))) {
            s.setObject(1, from.atOffset(ZoneOffset.UTC));
            s.setObject(2, to.atOffset(ZoneOffset.UTC));
            SqliteBaseline.readEveryValue(s);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
