package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An install that stored records before the raw table was partitioned (schema version 12) keeps them all when
 * the service migrates it: a partition per month they span, the same ids, and new records numbered after them.
 */
@EnabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres")
class PartitionMigrationTest {

    @Test
    void recordsStoredBeforePartitioningAreKeptAndNewOnesFollow() throws Exception {
        String url = Postgres.freshDatabaseUrl();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("12").load().migrate();
        try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO usage_record (ts, provider, model, team, task_type, cost_usd) VALUES "
                    + "('2026-03-05T10:00:00Z', 'p', 'm', 'old', 't', 1.5), ('2026-04-20T10:00:00Z', 'p', 'm', 'old', 't', 2.5), "
                    + "('2026-04-21T10:00:00Z', 'p', 'm', 'old', 't', 4.0)");
        }
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            graphql.data("recordUsage", Map.of("input", Usage.of("2026-05-01T10:00:00Z", "old", "m", null, "t", 8.0).map()));
            Map<String, Object> teams = graphql.data("costByTeam", Map.of("from", "2026-03-01T00:00:00Z", "to", "2026-06-01T00:00:00Z"));
            assertEquals(16.0, Json.number(teams, "costByTeam[0].totalCost"), 1e-9);
            assertEquals(4, Json.whole(teams, "costByTeam[0].requests"));
            List<?> edges = Json.list(graphql.data("usageRecords", Map.of("from", "2026-03-01T00:00:00Z", "to", "2026-06-01T00:00:00Z")),
                    "usageRecords.edges");
            assertEquals(List.of("4", "3", "2", "1"), edges.stream().map(e -> Json.at(e, "node.id")).toList(), "ids kept, the new one after them");
        }
        try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'usage_record'::regclass ORDER BY c.relname")) {
            List<String> partitions = new ArrayList<>();
            while (rs.next()) {
                partitions.add(rs.getString(1));
            }
            assertEquals(List.of("usage_record_default", "usage_record_y2026m03", "usage_record_y2026m04", "usage_record_y2026m05"), partitions);
        }
    }
}
