package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded default is a file database: what was recorded is there after a restart. */
class PersistenceTest {
    @TempDir
    Path dir;

    private Map<String, Object> server(String document, Map<String, Object> variables) {
        Map<String, Object> config = Map.of("datasources.default.url", "jdbc:h2:file:" + dir.resolve("aiusage"),
                "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            return new GraphQL(client).data(document, variables);
        }
    }

    @Test
    void recordsSurviveARestart() {
        Map<String, Object> input = Usage.of("2026-08-01T00:00:00Z", "durable", "m", null, "t", 3.5).set("requestId", "durable-1").map();
        assertEquals(1, Json.whole(server("recordUsage", Map.of("input", input)), "recordUsage.accepted"));
        // a second process on the same file sees the record, and still knows its requestId
        assertEquals(1, Json.whole(server("recordUsageBatch", Map.of("inputs", List.of(input))), "recordUsageBatch.duplicates"));
        Map<String, Object> teams = server("costByTeam", Map.of("from", "2026-08-01T00:00:00Z", "to", "2026-08-02T00:00:00Z"));
        assertEquals("durable", Json.at(teams, "costByTeam[0].team"));
        assertEquals(3.5, Json.number(teams, "costByTeam[0].totalCost"), 1e-9);
    }
}
