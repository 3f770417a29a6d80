package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Percentiles by model per day in Berlin from the in-memory latency index, over HTTP, with values worked out by hand:
 * its blocks of hours kept up by each fold, the partial hours at the window's edges from the hours it keeps (a fold
 * adds to those), and the same answers once it is loaded afresh from the rollup.
 *
 * <pre>
 * Window [Nov 10 22:30Z, Nov 12 23:15Z); Berlin is UTC+1, so its days start at 23:00Z. Model lx, latencies (ms):
 * Berlin Nov 10 (the window's first partial hour): 22:45Z 1000            (22:10Z 9999 lies before the window)
 * Berlin Nov 11 (24 whole hours, from Nov 10 23:00Z): 23:10Z 10, 00:10Z 20, 07:59Z 30, 08:00Z 40, 15:30Z 50, 22:59Z 60
 * Berlin Nov 12 (24 whole hours): Nov 11 23:00Z 100, Nov 12 04:00Z 200, 12:00Z 300, 22:30Z 400
 * Berlin Nov 13 (the last partial hour): 23:05Z 5000                      (23:20Z 7000 lies after it)
 * Percentile q of n sorted latencies: the one at rank ⌊q·(n−1)⌋ (within 1%).
 * Nov 10: 1000 | Nov 11: ranks 2, 4, 4 of 6 → 30, 50, 50 | Nov 12: ranks 1, 2, 2 of 4 → 200, 300, 300 | Nov 13: 5000
 * All 12: 10 20 30 40 50 60 100 200 300 400 1000 5000, ranks 5, 10, 10 → 60, 1000, 1000
 * Then Nov 11 12:00Z 35 and Nov 12 23:10Z 2 are added and folded:
 * Nov 11: 10 20 30 35 40 50 60, ranks 3, 5, 5 → 35, 50, 50 | Nov 13: 2 5000, rank 0 → 2, 2, 2
 * All 14: 2 10 20 30 35 40 50 60 100 200 300 400 1000 5000, ranks ⌊0.5·13⌋ = 6, ⌊0.95·13⌋ = 12, ⌊0.99·13⌋ = 12 → 50, 1000, 1000
 * </pre>
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
class LatencyIndexTest {
    private static final String QUERY = """
            { usage(from: "2026-11-10T22:30:00Z", to: "2026-11-12T23:15:00Z", filter: {models: ["lx"]}, groupBy: [MODEL], bucket: DAY,
                    timeZone: "Europe/Berlin", orderBy: BUCKET_ASC) {
                rows { bucketStart measures { requests latencyP50Ms latencyP95Ms latencyP99Ms } }
                total { requests latencyP50Ms latencyP95Ms latencyP99Ms } } }""";

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    @Inject
    RollupFolder folder;
    @Inject
    UsageIndexes indexes;

    @Test
    void percentilesByDayInBerlinFromTheIndexEqualTheHandWorkedOnes() {
        GraphQL graphql = new GraphQL(client);
        clock.set("2026-12-01T00:00:00Z");
        // loaded (empty) before any call arrives, so every call reaches the index through a fold
        assertEquals("READY", graphql.awaitIndexes().get("model latencies"));
        record(graphql, "2026-11-10T22:10:00Z", 9999, "2026-11-10T22:45:00Z", 1000,
                "2026-11-10T23:10:00Z", 10, "2026-11-11T00:10:00Z", 20, "2026-11-11T07:59:00Z", 30, "2026-11-11T08:00:00Z", 40,
                "2026-11-11T15:30:00Z", 50, "2026-11-11T22:59:00Z", 60,
                "2026-11-11T23:00:00Z", 100, "2026-11-12T04:00:00Z", 200, "2026-11-12T12:00:00Z", 300, "2026-11-12T22:30:00Z", 400,
                "2026-11-12T23:05:00Z", 5000, "2026-11-12T23:20:00Z", 7000);
        folder.foldAll();
        List<String> first = List.of("2026-11-09T23:00:00Z 1 1000 1000 1000", "2026-11-10T23:00:00Z 6 30 50 50",
                "2026-11-11T23:00:00Z 4 200 300 300", "2026-11-12T23:00:00Z 1 5000 5000 5000");
        check(graphql, first, "12 60 1000 1000");

        // into a block of whole hours, and into the last edge hour, which the index now keeps
        record(graphql, "2026-11-11T12:00:00Z", 35, "2026-11-12T23:10:00Z", 2);
        folder.foldAll();
        List<String> second = List.of("2026-11-09T23:00:00Z 1 1000 1000 1000", "2026-11-10T23:00:00Z 7 35 50 50",
                "2026-11-11T23:00:00Z 4 200 300 300", "2026-11-12T23:00:00Z 2 2 2 2");
        check(graphql, second, "14 50 1000 1000");

        // loaded afresh from the rollup's hours, its blocks merged at the load
        indexes.reset();
        assertEquals("READY", graphql.awaitIndexes().get("model latencies"));
        check(graphql, second, "14 50 1000 1000");
    }

    private static void record(GraphQL graphql, Object... atAndLatency) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < atAndLatency.length; i += 2) {
            calls.add(Usage.of((String) atAndLatency[i], "t", "lx", "wf", "chat", 0.01).set("provider", "px")
                    .latency((Integer) atAndLatency[i + 1]).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", calls));
    }

    /** Each row as "bucketStart requests p50 p95 p99" with the hand-worked percentiles, each within 1%; then the total. */
    private static void check(GraphQL graphql, List<String> rows, String total) {
        Map<String, Object> response = graphql.post(QUERY, Map.of());
        assertNull(response.get("errors"), () -> "errors: " + response.get("errors"));
        List<?> got = Json.list(response, "data.usage.rows");
        assertEquals(rows.size(), got.size(), () -> "rows: " + got);
        for (int i = 0; i < rows.size(); i++) {
            String[] expected = rows.get(i).split(" ");
            Object row = got.get(i);
            assertEquals(java.time.Instant.parse(expected[0]), java.time.Instant.parse((String) Json.at(row, "bucketStart")));
            matches(expected, 1, Json.at(row, "measures"), rows.get(i));
        }
        matches(total.split(" "), 0, Json.at(response, "data.usage.total"), "total " + total);
    }

    private static void matches(String[] expected, int from, Object measures, String context) {
        assertEquals(Long.parseLong(expected[from]), Json.whole(measures, "requests"), context);
        String[] fields = {"latencyP50Ms", "latencyP95Ms", "latencyP99Ms"};
        for (int i = 0; i < fields.length; i++) {
            double exact = Double.parseDouble(expected[from + 1 + i]);
            double actual = Json.number(measures, fields[i]);
            assertTrue(Math.abs(actual - exact) <= 0.01 * exact, () -> context + ": " + actual + " is not within 1% of " + exact);
        }
    }
}
