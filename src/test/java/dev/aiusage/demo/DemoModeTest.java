package dev.aiusage.demo;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Demo data: only on request, marked as such, and never mixed into a database that holds records. */
class DemoModeTest {
    @TempDir
    Path dir;

    private EmbeddedServer start(Map<String, Object> config) {
        Map<String, Object> all = new HashMap<>(config);
        all.put("micronaut.server.port", -1);
        all.put("aiusage.demo.records", 3000);
        return ApplicationContext.builder().environments("demo").properties(all).run(EmbeddedServer.class);
    }

    @Test
    void theDemoEnvironmentServesGeneratedUsageInMemory() {
        try (EmbeddedServer server = start(Map.of());
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            Map<String, Object> info = graphql.data("serviceInfo", Map.of());
            assertEquals(true, Json.at(info, "serviceInfo.demoData"));
            assertEquals(3000, Json.whole(info, "serviceInfo.records"));
            if (!Postgres.active()) {
                // on the PostgreSQL run the suite's URL (a system property) outranks the demo's in-memory one
                assertTrue(server.getApplicationContext().getProperty("datasources.default.url", String.class).orElseThrow().startsWith("jdbc:h2:mem:"));
            }
            assertEquals(6, Json.list(graphql.data("costByTeam", Map.of()), "costByTeam").size());
            assertFalse(Json.list(graphql.data("substitutionOpportunities", Map.of()), "substitutionOpportunities").isEmpty(),
                    "the demo should show what the product finds");
            Map<String, Object> adoption = graphql.data("adoption", Map.of());
            List<String> statuses = Json.list(adoption, "adoption.byStatus").stream().filter(s -> Json.whole(s, "count") > 0)
                    .map(s -> (String) Json.at(s, "status")).toList();
            assertTrue(statuses.containsAll(List.of("ACTIVE", "NOT_ENGAGED", "BLOCKED")), "demo adoption statuses: " + statuses);
            assertFalse(Json.list(adoption, "adoption.pairings").isEmpty(), "the demo should suggest pairings");
            assertTrue(Json.whole(adoption, "adoption.friction.grantsInWindow") == 6 && Json.whole(adoption, "adoption.friction.openRequests") == 6,
                    "demo friction: " + Json.at(adoption, "adoption.friction"));
        }
    }

    @Test
    void demoDataIsNeverAddedToADatabaseThatHoldsRecords() {
        String url = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:file:" + dir.resolve("real");
        Map<String, Object> real = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, real);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            new GraphQL(client).data("recordUsage", Map.of("input", Usage.of(null, "real", "m", null, "t", 1).map()));
        }
        try (EmbeddedServer server = start(Map.of("datasources.default.url", url));
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            assertEquals(1, Json.whole(new GraphQL(client).data("serviceInfo", Map.of()), "serviceInfo.records"));
        }
    }
}
