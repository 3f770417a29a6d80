package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No request waits for an in-memory index to load: while the people index's load is held up (its rollup locked on
 * PostgreSQL from a connection of the test's own, as a large rollup's minutes-long read would hold it), a breakdown
 * by user is answered from the rollups in SQL with the same figures, and the index answers once it has loaded.
 * H2 has no lock a read waits for, so this runs on PostgreSQL only.
 */
class IndexLoadTest {
    private static final String BY_USER = "{ usage(from: \"2026-05-04T00:00:00Z\", to: \"2026-05-06T00:00:00Z\", groupBy: [USER]) "
            + "{ rows { user measures { cost requests } } } }";

    @Test
    void readsWhileAnIndexLoadsAreAnsweredFromTheRollups() throws Exception {
        assumeTrue(Postgres.active(), "PostgreSQL only: a lock that holds up the load");
        String url = Postgres.freshDatabaseUrl();
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            // ann: $1.25 + $2.75 = $4.00 in 2 calls over two days; bo: $0.50 in 1 call
            List<Map<String, Object>> calls = List.of(
                    Usage.of("2026-05-04T10:00:00Z", "core", "m", "w", "t", 1.25).set("user", "ann").map(),
                    Usage.of("2026-05-05T09:30:00Z", "core", "m", "w", "t", 2.75).set("user", "ann").map(),
                    Usage.of("2026-05-05T11:00:00Z", "core", "m", "w", "t", 0.5).set("user", "bo").map());
            assertEquals(3, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", calls)), "recordUsageBatch.accepted"));
            server.getApplicationContext().getBean(RollupFolder.class).foldAll();
            assertEquals("READY", graphql.awaitIndexes().get("people"));
            List<Map<String, Object>> expected = List.of(
                    Map.of("user", "ann", "measures", Map.of("cost", 4.0, "requests", 2)),
                    Map.of("user", "bo", "measures", Map.of("cost", 0.5, "requests", 1)));
            assertEquals(expected, Json.list(graphql.inlineData(BY_USER, Map.of()), "usage.rows"));

            try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
                db.setAutoCommit(false);
                try (Statement lock = db.createStatement()) {
                    lock.execute("LOCK TABLE " + Cube.FULL.table + " IN ACCESS EXCLUSIVE MODE");
                }
                // as after a rebuild or a repricing: every index loads afresh, the people index from the locked rollup
                server.getApplicationContext().getBean(UsageIndexes.class).reset();
                assertEquals("LOADING", state(graphql, "people"));
                assertEquals(expected, Json.list(graphql.inlineData(BY_USER, Map.of()), "usage.rows"));
                assertEquals("LOADING", state(graphql, "people"), "the answer above came while the index was still loading");
                db.rollback();
            }
            Map<String, String> states = graphql.awaitIndexes();
            assertTrue(states.values().stream().allMatch("READY"::equals), states::toString);
            assertEquals(expected, Json.list(graphql.inlineData(BY_USER, Map.of()), "usage.rows"));
        }
    }

    private static String state(GraphQL graphql, String index) {
        for (Object i : Json.list(graphql.inlineData("{ serviceInfo { indexes { name state } } }", Map.of()), "serviceInfo.indexes")) {
            if (index.equals(((Map<?, ?>) i).get("name"))) {
                return (String) ((Map<?, ?>) i).get("state");
            }
        }
        throw new AssertionError("no index " + index);
    }
}
