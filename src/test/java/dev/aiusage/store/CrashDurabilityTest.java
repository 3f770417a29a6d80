package dev.aiusage.store;

import dev.aiusage.support.ChildServer;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records acknowledged to the client survive the server being killed with SIGKILL, on the default file
 * database settings, and the rollups kept with them stay equal to a recomputation from the raw records.
 */
class CrashDurabilityTest {
    /** Few enough that H2 would still hold them in memory without WRITE_DELAY=0 (500 were flushed anyway). */
    private static final int RECORDS = 3;
    private static final int BATCH = 200;

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveKillDashNine() throws Exception {
        int port = ChildServer.freePort();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            batch.add(Usage.of("2026-09-01T00:00:00Z", "crash", "m", null, "t", 0.25).set("requestId", "crash-" + i).map());
        }
        try (ChildServer server = ChildServer.start(dir, port)) {
            assertEquals(RECORDS, Json.whole(server.graphql().data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.accepted"));
        }
        try (ChildServer restarted = ChildServer.start(dir, port)) {
            GraphQL graphql = restarted.graphql();
            assertEquals(RECORDS, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records"));
            assertEquals(RECORDS, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.duplicates"));
        }
    }

    /**
     * Two writers send batches without pause; the server is killed while they do. After a restart every
     * acknowledged batch is stored exactly once (sending it again stores nothing), at most the batches in flight
     * were stored unacknowledged, and the rollups equal what a rebuild from the raw records gives.
     */
    @Test
    void aKillDuringSustainedIngestLosesNothingAcknowledgedAndLeavesRollupsConsistent() throws Exception {
        int port = ChildServer.freePort();
        List<List<Map<String, Object>>> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        int writers = 2;
        ChildServer server = ChildServer.start(dir, port);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                sending.add(pool.submit(() -> {
                    GraphQL graphql = server.graphql();
                    while (running.get()) {
                        int b = sequence.getAndIncrement();
                        List<Map<String, Object>> batch = new ArrayList<>();
                        for (int i = 0; i < BATCH; i++) {
                            String team = "team-" + (i % 3);
                            String ts = "2026-09-02T" + String.format("%02d:%02d:%02d", (b / 60) % 24, b % 60, i % 60) + "Z";
                            batch.add(Usage.of(ts, team, "m-" + (i % 2), "wf", "t", 0.01 * (1 + i % 7))
                                    .quality(i % 4 == 0 ? 0.5 + (i % 5) / 10.0 : null, null).set("requestId", "sustained-" + b + "-" + i).map());
                        }
                        try {
                            if (Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.accepted") == BATCH) {
                                acknowledged.add(batch);
                            }
                        } catch (RuntimeException killed) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (acknowledged.size() < 15) {
                if (System.nanoTime() > deadline || sending.stream().allMatch(Future::isDone)) {
                    throw new AssertionError("the writers stopped before 15 batches were acknowledged: " + acknowledged.size());
                }
                Thread.sleep(20);
            }
            server.kill();
            running.set(false);
            for (Future<?> s : sending) {
                s.get();
            }
        } finally {
            pool.shutdownNow();
            server.close();
        }

        try (ChildServer restarted = ChildServer.start(dir, port)) {
            GraphQL graphql = restarted.graphql();
            long stored = Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records");
            int acked = acknowledged.size() * BATCH;
            assertTrue(stored >= acked && stored <= acked + (long) writers * BATCH,
                    () -> "stored " + stored + ", acknowledged " + acked + ", at most " + writers + " batches in flight");
            for (List<Map<String, Object>> batch : acknowledged) {
                Map<String, Object> again = graphql.data("recordUsageBatch", Map.of("inputs", batch));
                assertEquals(0, Json.whole(again, "recordUsageBatch.accepted"), "an acknowledged record was lost");
                assertEquals(BATCH, Json.whole(again, "recordUsageBatch.duplicates"));
            }
            Map<String, Object> window = Map.of("from", "2026-09-02T00:00:00Z", "to", "2026-09-03T00:00:00Z");
            List<Map<String, Object>> before = answers(graphql, window);
            assertEquals(stored, Json.whole(graphql.data("rebuildRollups", Map.of()), "rebuildRollups.records"));
            assertEquals(before, answers(graphql, window), "rollups kept through the crash differ from a rebuild");
        }
    }

    private static List<Map<String, Object>> answers(GraphQL graphql, Map<String, Object> window) {
        Map<String, Object> trend = new HashMap<>(window);
        trend.put("timeZone", "Asia/Kolkata");
        return List.of(graphql.data("costByTeam", window), graphql.data("costByWorkflow", window),
                graphql.data("modelEfficiency", window), graphql.data("dailyTrend", trend));
    }
}
