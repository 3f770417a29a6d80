package dev.aiusage.bench;

import dev.aiusage.ingest.UsageInput;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The article's approach on the same records: its SQLite table and indexes, its SQL (with the window bounds
 * given explicitly so both sides answer the same question, and the substitution query's aggregate moved out
 * of WHERE so that it runs at all).
 */
final class SqliteBaseline implements AutoCloseable {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("costByTeam", """
                SELECT team, SUM(cost_usd) as total_cost, COUNT(*) as requests, SUM(input_tokens + output_tokens) as tokens,
                       AVG(quality_score) as avg_quality
                FROM ai_usage WHERE ts >= ? AND ts < ? GROUP BY team ORDER BY total_cost DESC""");
        QUERIES.put("costByWorkflow", """
                SELECT workflow, task_type, model, SUM(cost_usd) as total_cost, COUNT(*) as requests,
                       AVG(cost_usd) as avg_cost_per_call, AVG(latency_ms) as avg_latency, AVG(quality_score) as avg_quality,
                       SUM(CASE WHEN passed_quality THEN 1 ELSE 0 END) * 1.0 / COUNT(*) as pass_rate
                FROM ai_usage WHERE ts >= ? AND ts < ? GROUP BY workflow, task_type, model ORDER BY total_cost DESC""");
        QUERIES.put("modelEfficiency", """
                SELECT model, SUM(cost_usd) as total_cost, AVG(cost_usd) as avg_cost, AVG(latency_ms) as avg_latency,
                       AVG(quality_score) as avg_quality, COUNT(*) as requests
                FROM ai_usage WHERE ts >= ? AND ts < ? AND quality_score IS NOT NULL
                GROUP BY model ORDER BY avg_quality DESC, avg_cost""");
        QUERIES.put("dailyTrend", """
                SELECT DATE(ts) as day, SUM(cost_usd) as cost, COUNT(*) as requests, COUNT(DISTINCT team) as active_teams
                FROM ai_usage WHERE ts >= ? AND ts < ? GROUP BY DATE(ts) ORDER BY day""");
        QUERIES.put("substitutionOpportunities", """
                SELECT workflow, task_type, model, AVG(quality_score) as avg_quality, AVG(cost_usd) as avg_cost, COUNT(*) as sample_size
                FROM ai_usage WHERE quality_score IS NOT NULL AND ts >= ? AND ts < ?
                GROUP BY workflow, task_type, model HAVING COUNT(*) >= 20 ORDER BY workflow, task_type, avg_cost DESC""");
    }

    private final Connection connection;

    SqliteBaseline(Path file) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS ai_usage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
                    team TEXT NOT NULL, task_type TEXT NOT NULL, workflow TEXT, input_tokens INTEGER DEFAULT 0,
                    output_tokens INTEGER DEFAULT 0, cost_usd REAL NOT NULL, latency_ms INTEGER, quality_score REAL,
                    passed_quality INTEGER, request_id TEXT, session_id TEXT)""");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS idx_ts ON ai_usage(ts)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS idx_team ON ai_usage(team)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS idx_workflow ON ai_usage(workflow)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS idx_model ON ai_usage(model)");
        }
    }

    /** Loads records 0 to n - 1 of {@code records}. */
    void load(java.util.function.LongFunction<UsageInput> records, long n) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ai_usage (ts, provider, model, team, task_type, workflow, "
                + "input_tokens, output_tokens, cost_usd, latency_ms, quality_score, passed_quality, request_id, session_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long i = 0; i < n; i++) {
                UsageInput r = records.apply(i);
                insert.setString(1, TS.format(r.ts().toInstant()));
                insert.setString(2, r.provider());
                insert.setString(3, r.model());
                insert.setString(4, r.team());
                insert.setString(5, r.taskType());
                insert.setString(6, r.workflow());
                insert.setObject(7, r.inputTokens());
                insert.setInt(8, r.outputTokens());
                insert.setDouble(9, r.costUsd());
                insert.setObject(10, r.latencyMs());
                insert.setObject(11, r.qualityScore());
                insert.setObject(12, r.passedQuality() == null ? null : r.passedQuality() ? 1 : 0);
                insert.setString(13, r.requestId());
                insert.setString(14, r.sessionId());
                insert.addBatch();
                if (i % 10_000 == 9_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** Runs one query over {@code [from, to)} and reads every row, as the article's query() does. */
    void run(String name, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(QUERIES.get(name))) {
            s.setString(1, TS.format(from));
            s.setString(2, TS.format(to));
            readEveryValue(s);
        }
    }

    /** Executes the query and reads every value of every row, as a client that shows the answer does. */
    static void readEveryValue(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
