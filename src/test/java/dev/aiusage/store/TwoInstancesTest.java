package dev.aiusage.store;

import dev.aiusage.support.ChildServer;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two service processes (the real main class, each in a JVM of its own, as a load balancer would have them) on
 * one PostgreSQL database. Retries of the same batch racing on both are stored once; each answers every record
 * exactly, also the ones the other stored and folded; a key revoked on one is refused by the other at once; and
 * when one is killed with SIGKILL in the middle of ingest, every batch it acknowledged is there, once.
 */
@EnabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres")
class TwoInstancesTest {
    private static final String ADMIN = "two-instances-admin-secret";

    @TempDir
    Path dir;

    private ChildServer a;
    private ChildServer b;

    @BeforeEach
    void start() throws Exception {
        String url = Postgres.freshDatabaseUrl();
        String[] config = {"datasources.default.url=" + url, "datasources.default.username=postgres", "datasources.default.password=",
                "aiusage.admin-key=" + ADMIN, "micronaut.server.host=127.0.0.1"};
        // both at once, as a deployment starts them: the schema migration runs once, under Flyway's lock
        CompletableFuture<ChildServer> first = CompletableFuture.supplyAsync(starter(config));
        CompletableFuture<ChildServer> second = CompletableFuture.supplyAsync(starter(config));
        a = first.get();
        b = second.get();
    }

    private Supplier<ChildServer> starter(String[] config) {
        return () -> {
            try {
                return ChildServer.start(dir, ChildServer.freePort(), config);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        for (ChildServer server : new ChildServer[] {a, b}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void retriesRacingOnBothInstancesAreStoredOnceAndBothAnswerEveryRecord() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(Usage.of("2026-06-06T00:00:00Z", "race", "m", "wf", "t", 0.01).set("requestId", "race-" + i).map());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long accepted = 0;
        long duplicates = 0;
        try {
            List<Future<Map<String, Object>>> sent = new ArrayList<>();
            for (ChildServer server : List.of(a, b, a, b)) {
                sent.add(pool.submit(() -> server.graphql().as(ADMIN).data("recordUsageBatch", Map.of("inputs", batch))));
            }
            for (Future<Map<String, Object>> result : sent) {
                accepted += Json.whole(result.get(), "recordUsageBatch.accepted");
                duplicates += Json.whole(result.get(), "recordUsageBatch.duplicates");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(500, accepted, "each record stored once across the two instances");
        assertEquals(1500, duplicates);
        // the other instance's records, before and after folds on either side
        for (int round = 0; round < 2; round++) {
            for (ChildServer server : List.of(a, b)) {
                Map<String, Object> teams = server.graphql().as(ADMIN).data("costByTeam", Map.of("from", "2026-06-06T00:00:00Z",
                        "to", "2026-06-07T00:00:00Z"));
                assertEquals(500, Json.whole(teams, "costByTeam[0].requests"));
                assertEquals(5.0, Json.number(teams, "costByTeam[0].totalCost"), 1e-9);
            }
            waitUntilFolded();
        }
        // more stored on A only, folded there: B's in-memory index follows A's folds and B still answers exactly
        List<Map<String, Object>> more = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            more.add(Usage.of("2026-06-06T12:00:00Z", "race", "m", "wf", "t", 0.001).set("requestId", "more-" + i).map());
        }
        for (int i = 0; i < more.size(); i += 4000) {
            a.graphql().as(ADMIN).data("recordUsageBatch", Map.of("inputs", more.subList(i, i + 4000)));
        }
        waitUntilFolded();
        for (ChildServer server : List.of(b, a)) {
            Map<String, Object> workflows = server.graphql().as(ADMIN).data("costByWorkflow", Map.of("from", "2026-06-06T00:00:00Z",
                    "to", "2026-06-07T00:00:00Z"));
            assertEquals(12_500, Json.whole(workflows, "costByWorkflow[0].requests"));
            assertEquals(17.0, Json.number(workflows, "costByWorkflow[0].totalCost"), 1e-9);
        }
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByTheOther() {
        GraphQL adminOnA = a.graphql().as(ADMIN);
        Map<String, Object> created = adminOnA.data("createApiKey", Map.of("name", "ingest", "role", "INGEST"));
        String secret = (String) Json.at(created, "createApiKey.secret");
        Map<String, Object> record = Usage.of("2026-06-07T00:00:00Z", "keys", "m", null, "t", 1).map();
        assertEquals(1, Json.whole(b.graphql().as(secret).data("recordUsage", Map.of("input", record)), "recordUsage.accepted"));
        adminOnA.data("revokeApiKey", Map.of("id", Json.at(created, "createApiKey.key.id")));
        io.micronaut.http.client.exceptions.HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> b.graphql().as(secret).run("recordUsage", Map.of("input", record)));
        assertEquals(401, refused.getStatus().getCode());
    }

    @Test
    void everyBatchAnInstanceAcknowledgedBeforeItWasKilledIsStoredOnce() throws Exception {
        List<List<Map<String, Object>>> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int n = 0; ; n++) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    batch.add(Usage.of("2026-06-08T00:00:00Z", "kill", "m", null, "t", 0.01).set("requestId", "kill-" + n + "-" + i).map());
                }
                try {
                    a.graphql().as(ADMIN).data("recordUsageBatch", Map.of("inputs", batch));
                } catch (RuntimeException | AssertionError killed) {
                    return;
                }
                acknowledged.add(batch);
            }
        });
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (acknowledged.size() < 20 && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        a.kill();
        sender.get();
        List<List<Map<String, Object>>> sent = List.copyOf(acknowledged);
        assertTrue(sent.size() >= 20, "batches acknowledged before the kill: " + sent.size());
        GraphQL onB = b.graphql().as(ADMIN);
        for (List<Map<String, Object>> batch : sent) {
            Map<String, Object> again = onB.data("recordUsageBatch", Map.of("inputs", batch));
            assertEquals(0, Json.whole(again, "recordUsageBatch.accepted"), "a batch A acknowledged is stored");
        }
        long stored = Json.whole(onB.data("costByTeam", Map.of("from", "2026-06-08T00:00:00Z", "to", "2026-06-09T00:00:00Z",
                "filter", Map.of("teams", List.of("kill")))), "costByTeam[0].requests");
        // every acknowledged batch once; at most the one batch in flight at the kill besides (committed, unanswered)
        assertTrue(stored == 200L * sent.size() || stored == 200L * (sent.size() + 1), "stored " + stored + " for " + sent.size() + " batches");
    }

    private void waitUntilFolded() throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        for (ChildServer server : List.of(a, b)) {
            while (Json.whole(server.graphql().as(ADMIN).data("serviceInfo", Map.of()), "serviceInfo.unfoldedRecords") > 0) {
                assertTrue(Instant.now().isBefore(until), "the records were not folded within 60 s");
                Thread.sleep(200);
            }
        }
    }
}
