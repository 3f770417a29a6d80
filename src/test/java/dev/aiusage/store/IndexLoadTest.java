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

/** No request waits for an in-memory index to load, neither for the load itself nor for a fold waiting for it. */
class IndexLoadTest {
    private static final String BY_USER = "{ usage(from: \"2026-05-04T00:00:00Z\", to: \"2026-05-06T00:00:00Z\", groupBy: [USER]) "
            + "{ rows { user measures { cost requests } } } }";

    /**
     * While the people index's load is held up (its rollup locked on PostgreSQL from a connection of the test's own,
     * as a large rollup's minutes-long read would hold it), a breakdown by user is answered from the rollups in SQL
     * with the same figures, and the index answers once it has loaded. H2 has no lock a read waits for, so this
     * runs on PostgreSQL only.
     */
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
                assertEquals("LOADING", graphql.indexStates().get("people"));
                assertEquals(expected, Json.list(graphql.inlineData(BY_USER, Map.of()), "usage.rows"));
                assertEquals("LOADING", graphql.indexStates().get("people"), "the answer above came while the index was still loading");
                db.rollback();
            }
            Map<String, String> states = graphql.awaitIndexes();
            assertTrue(states.values().stream().allMatch("READY"::equals), states::toString);
            assertEquals(expected, Json.list(graphql.inlineData(BY_USER, Map.of()), "usage.rows"));
        }
    }

    /**
     * A fold that commits while a load holds the fence (it reads its rollup as of one watermark) waits for it, and
     * must not queue for the fence meanwhile: the fence is fair, so every read of records or rollups after a queued
     * commit would wait for the load too. Here a long read holds the fence until released, a fold of one new call
     * waits for it, and a page of records (a read that takes the fence) is answered meanwhile.
     */
    @Test
    void aFoldWaitingForALoadDoesNotHoldUpOtherReads() throws Exception {
        String url = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:mem:load-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Map<String, Object> config = Map.of("datasources.default.url", url, "micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            RollupFolder folder = server.getApplicationContext().getBean(RollupFolder.class);
            record(graphql, Usage.of("2026-05-04T10:00:00Z", "core", "m", "w", "t", 1.25).set("user", "ann").map());
            folder.foldAll();
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Object> load = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> folder.consistentlyAtLength(() -> {
                        holding.countDown();
                        try {
                            return release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
            try {
                assertTrue(holding.await(10, java.util.concurrent.TimeUnit.SECONDS));
                record(graphql, Usage.of("2026-05-05T11:00:00Z", "core", "m", "w", "t", 0.5).set("user", "bo").map());
                java.util.concurrent.CompletableFuture<Void> fold = java.util.concurrent.CompletableFuture.runAsync(folder::foldAll);
                // time for the fold to write its step and come to its commit (were it slower, the read below would not
                // be tested against a waiting commit, but it would not fail either)
                Thread.sleep(1000);
                List<?> page = Json.list(graphql.inlineData("{ usageRecords(from: \"2026-05-01T00:00:00Z\", to: \"2026-05-08T00:00:00Z\", "
                        + "first: 10) { edges { node { user costUsd } } } }", Map.of()), "usageRecords.edges");
                assertEquals(List.of(Map.of("node", Map.of("user", "bo", "costUsd", 0.5)), Map.of("node", Map.of("user", "ann", "costUsd", 1.25))),
                        page);
                org.junit.jupiter.api.Assertions.assertFalse(fold.isDone(), "the fold waits for the long read to end");
                release.countDown();
                fold.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(0, Json.whole(graphql.inlineData("{ serviceInfo { unfoldedRecords } }", Map.of()), "serviceInfo.unfoldedRecords"));
            } finally {
                release.countDown();
                load.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static void record(GraphQL graphql, Map<String, Object> call) {
        assertEquals(1, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", List.of(call))), "recordUsageBatch.accepted"));
    }
}
