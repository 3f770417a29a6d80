package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded default is a file database: what was recorded is there after a restart. */
class PersistenceTest {
    @TempDir
    Path dir;

    /** The file database here; on the PostgreSQL run, one database on the tests' server, the same for each start. */
    private String database;

    private Map<String, Object> server(String document, Map<String, Object> variables) {
        if (database == null) {
            database = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:file:" + dir.resolve("aiusage");
        }
        Map<String, Object> config = Map.of("datasources.default.url", database, "micronaut.server.port", -1);
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

    /**
     * A URL that asks H2 to hold commits in memory (which would lose acknowledged records to a kill) stops the
     * service at start-up with a message that names the setting, before it listens.
     */
    @Test
    @DisabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres", disabledReason = "H2's write delay: the H2 run checks it")
    void aUrlThatDelaysCommitsIsRefusedAtStartUp() {
        Map<String, Object> config = Map.of("datasources.default.url", "jdbc:h2:file:" + dir.resolve("lazy") + ";WRITE_DELAY=500",
                "micronaut.server.port", -1);
        RuntimeException refused = assertThrows(RuntimeException.class, () -> ApplicationContext.run(EmbeddedServer.class, config).close());
        Throwable cause = refused;
        while (cause.getCause() != null && !(cause instanceof io.micronaut.context.exceptions.ConfigurationException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("WRITE_DELAY=500"), cause::getMessage);
        assertTrue(cause.getMessage().contains("lose"), cause::getMessage);
    }
}
