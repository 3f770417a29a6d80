package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An install whose records were folded before the rollups kept input and output tokens apart (schema version 13)
 * gets them split, and the model cube's hourly rows, by the one rebuild that migration 14 asks for at start.
 * Before it, the rollups hold only the token total, so an answer that splits them can only come from it.
 */
class RollupUpgradeTest {

    @Test
    void rollupsFoldedBeforeTheSplitAreRecomputedOnceAtStart() throws Exception {
        String url = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String user = Postgres.active() ? "postgres" : "sa";
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").target("13").load().migrate();
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement()) {
            // two calls folded by the old version: raw records, their time rows, the watermark and the rollups it wrote
            sql.execute("INSERT INTO usage_record (ts, provider, model, team, task_type, input_tokens, output_tokens, cost_usd) VALUES "
                    + "('2026-03-05T10:15:00Z', 'p', 'm', 'old', 't', 100, 10, 1.5), ('2026-03-05T11:45:00Z', 'p', 'm', 'old', 't', 200, 20, 2.5)");
            sql.execute("INSERT INTO record_time (at, record_id) SELECT ts, id FROM usage_record");
            sql.execute("UPDATE fold_state SET folded_through = (SELECT MAX(id) FROM usage_record) WHERE name = 'usage'");
            oldRollups(sql, "2026-03-05T00:00:00Z");
        }
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            String query = """
                    { usage(from: "2026-03-05T00:00:00Z", to: "2026-03-06T00:00:00Z", groupBy: [MODEL], bucket: HOUR, orderBy: BUCKET_ASC) {
                        rows { bucketStart model measures { cost requests inputTokens outputTokens tokens } } } }""";
            Map<String, Object> answer = null;
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
                answer = graphql.post(query, Map.of());
                if (answer.get("errors") == null && Json.list(answer, "data.usage.rows").size() == 2) {
                    break;
                }
            }
            List<?> rows = Json.list(answer, "data.usage.rows");
            assertEquals(List.of("2026-03-05T10:00:00.000Z", "2026-03-05T11:00:00.000Z"), rows.stream().map(r -> Json.at(r, "bucketStart")).toList(),
                    () -> "hourly rows of the model cube: " + rows);
            assertEquals(Map.of("cost", 1.5, "requests", 1, "inputTokens", 100, "outputTokens", 10, "tokens", 110), Json.at(rows.get(0), "measures"));
            assertEquals(Map.of("cost", 2.5, "requests", 1, "inputTokens", 200, "outputTokens", 20, "tokens", 220), Json.at(rows.get(1), "measures"));
            Map<String, Object> team = graphql.data("costByTeam", Map.of("from", "2026-03-01T00:00:00Z", "to", "2026-04-01T00:00:00Z"));
            assertEquals(4.0, Json.number(team, "costByTeam[0].totalCost"), 1e-9);
            assertEquals(2, Json.whole(team, "costByTeam[0].requests"), "the calls are counted once, not again by the rebuild");
        }
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM rollup_upgrade")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "the rebuild is asked for once");
        }
    }

    /**
     * An install with records folded before the prompt rollup existed (schema version 17): migration 18 asks for
     * the rollup to be filled once at start; meanwhile and after, the prompt insights count each call once.
     */
    @Test
    void thePromptRollupIsFilledOnceFromTheFoldedRecords() throws Exception {
        String url = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String user = Postgres.active() ? "postgres" : "sa";
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").target("17").load().migrate();
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO usage_record (ts, provider, model, team, task_type, workflow, input_tokens, output_tokens, cost_usd, "
                    + "quality_score, prompt_template, prompt_version, prompt_chars) VALUES "
                    + "('2026-03-05T10:15:00Z', 'p', 'm', 'old', 't', 'wf', 100, 10, 1.5, 0.9, 'tpl', 'v1', 400), "
                    + "('2026-03-05T11:45:00Z', 'p', 'm', 'old', 't', 'wf', 200, 20, 2.5, 0.7, 'tpl', 'v1', 800)");
            sql.execute("INSERT INTO record_time (at, record_id) SELECT ts, id FROM usage_record");
            sql.execute("UPDATE fold_state SET folded_through = (SELECT MAX(id) FROM usage_record) WHERE name = 'usage'");
            // the rollups the old version kept (only the team cube matters here: it tells migration 18 there is data)
            sql.execute("INSERT INTO rollup_team (grain, bucket, team, requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count, "
                    + "quality_sum, quality_sq_sum, quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum, scored_latency_count) "
                    + "VALUES (2, '2026-03-05T00:00:00Z', 'old', 2, 4.0, 8.5, 330, 0, 0, 1.6, 1.3, 2, 0, 0, 4.0, 0, 0)");
        }
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            String query = "{ promptInsights(from: \"2026-03-05T00:00:00Z\", to: \"2026-03-06T00:00:00Z\") { groups { template calls } "
                    + "templateChanges { template } } }";
            // answered while the fill runs (from the records) and after it (from the rollup): the same two calls
            assertEquals(List.of(Map.of("template", "tpl", "calls", 2)), Json.list(graphql.post(query, Map.of()), "data.promptInsights.groups"));
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline && pending(url, user); Thread.sleep(100)) {
                // waits for the fill
            }
            assertEquals(false, pending(url, user), "the fill is asked for once and done");
            assertEquals(List.of(Map.of("template", "tpl", "calls", 2)), Json.list(graphql.post(query, Map.of()), "data.promptInsights.groups"));
        }
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT grain, COUNT(*), SUM(calls) FROM rollup_prompt GROUP BY grain ORDER BY grain")) {
            // one day's row, each call once
            assertEquals(true, rs.next());
            assertEquals(List.of(2L, 1L, 2L), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
            assertEquals(false, rs.next());
        }
    }

    /**
     * An install upgraded to migration 14 after retention had dropped the records before March 5: the model cube has
     * hours only from then on, so a UTC day by model before it comes from the work cube's days (held in memory), and
     * hours by model before it are refused as outside retention, as the cubes in SQL refuse them, rather than
     * answered empty from the models' hours in memory.
     */
    @Test
    void hoursByModelBeforeTheModelCubeHasThemAreNotTakenFromItsIndex() throws Exception {
        String url = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String user = Postgres.active() ? "postgres" : "sa";
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").target("13").load().migrate();
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO retention_state (name, raw_from) VALUES ('usage', '2026-03-05T00:00:00Z')");
            oldRollups(sql, "2026-03-01T00:00:00Z");
        }
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline && pending(url, user); Thread.sleep(100)) {
                // waits for the recompute migration 14 asks for
            }
            GraphQL graphql = new GraphQL(client);
            // loaded after the recompute (a rebuild queues the loads again), so the reads below are the index's to refuse
            assertEquals("READY", graphql.awaitIndexes().get("model hours"));
            String query = "query($bucket: Bucket) { usage(from: \"2026-03-01T00:00:00Z\", to: \"2026-03-02T00:00:00Z\", groupBy: [MODEL], "
                    + "bucket: $bucket) { rows { bucketStart model measures { cost requests } } } }";
            Map<String, Object> days = graphql.post(query, Map.of("bucket", "DAY"));
            assertEquals(List.of(Map.of("bucketStart", "2026-03-01T00:00:00.000Z", "model", "m", "measures", Map.of("cost", 4.0, "requests", 2))),
                    Json.list(days, "data.usage.rows"), () -> String.valueOf(days));
            Map<String, Object> hours = graphql.post(query, Map.of("bucket", "HOUR"));
            assertEquals("OUTSIDE_RETENTION", Json.at(hours, "errors[0].extensions.code"), () -> String.valueOf(hours));
        }
    }

    /** The day rows a version before migration 14 kept for two calls ($4.00, 330 tokens) of team "old" on model "m". */
    private static void oldRollups(Statement sql, String day) throws java.sql.SQLException {
        String measures = "requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count, quality_sum, quality_sq_sum, "
                + "quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum, scored_latency_count";
        String sums = "2, 4.0, 8.5, 330, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0";
        sql.execute("INSERT INTO rollup_team (grain, bucket, team, " + measures + ") VALUES (2, '" + day + "', 'old', " + sums + ")");
        sql.execute("INSERT INTO rollup_work (grain, bucket, team, model, workflow, task_type, " + measures
                + ") VALUES (2, '" + day + "', 'old', 'm', '', 't', " + sums + ")");
        sql.execute("INSERT INTO rollup_full (grain, bucket, team, user_name, provider, model, workflow, task_type, " + measures
                + ") VALUES (2, '" + day + "', 'old', '', 'p', 'm', '', 't', " + sums + ")");
    }

    private static boolean pending(String url, String user) throws Exception {
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM rollup_upgrade")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
