package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers stay exactly what the records give while folds move them into the rollups: before any fold, between
 * the many small fold steps of one run, and after it. Folding by itself is off here (no timer, no eager fold) and
 * a step is 150 records, so folding the 3,000 records takes 20 transactions while the test keeps reading.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.store.fold.interval", value = "1h")
@Property(name = "aiusage.store.fold.eager-at", value = "1000000000")
@Property(name = "aiusage.store.fold.max-tail", value = "1000000000")
@Property(name = "aiusage.store.fold.step", value = "150")
class FoldRaceTest {
    private static final int RECORDS = 3000;
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    /** Edges inside a day and a quarter of an hour, so every part of a window plan is read. */
    private static final Map<String, Object> WINDOW = Map.of("from", "2026-06-01T05:37:30.250Z", "to", "2026-06-09T17:13:00Z");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    RollupFolder folder;

    @Test
    void answersAreExactBeforeDuringAndAfterTheFold() throws Exception {
        GraphQL graphql = new GraphQL(client);
        // team t-(i mod 4), cost $0.001 × (1 + i mod 5), over ten days in a random order
        Random random = new Random(5);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Instant from = Instant.parse((String) WINDOW.get("from"));
        Instant to = Instant.parse((String) WINDOW.get("to"));
        TreeMap<String, long[]> expected = new TreeMap<>();
        // the window's records newest first (instants are distinct): what paging through usageRecords must give
        TreeMap<Instant, String> newestFirst = new TreeMap<>(java.util.Comparator.reverseOrder());
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i : order) {
            Instant ts = START.plusSeconds(i * 288L + (i * 7L) % 60);
            String team = "t-" + (i % 4);
            batch.add(Usage.of(ts.toString(), team, "m", "wf", "task", 0.001 * (1 + i % 5)).set("requestId", "race-" + i).map());
            if (!ts.isBefore(from) && ts.isBefore(to)) {
                newestFirst.put(ts, "race-" + i);
                long[] sums = expected.computeIfAbsent(team, t -> new long[2]);
                sums[0]++;
                sums[1] += 1 + i % 5;
            }
            if (batch.size() == 500) {
                assertEquals(500, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.accepted"));
                batch = new ArrayList<>();
            }
        }
        assertEquals(RECORDS, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.unfoldedRecords"));
        assertExact(graphql, expected, newestFirst);

        // the fold runs as the service's own fold thread would, beside the HTTP reads
        CompletableFuture<Long> fold = CompletableFuture.supplyAsync(folder::foldAll);
        Set<Long> unfoldedSeen = new TreeSet<>();
        int reads = 0;
        while (!fold.isDone()) {
            assertExact(graphql, expected, newestFirst);
            unfoldedSeen.add(Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.unfoldedRecords"));
            reads++;
        }
        int[] readsDone = {reads};
        assertEquals(RECORDS, fold.get());
        assertTrue(unfoldedSeen.stream().anyMatch(n -> n > 0 && n < RECORDS),
                () -> "no read fell between two fold steps (" + unfoldedSeen + ", " + readsDone[0] + " reads)");
        assertEquals(0, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.unfoldedRecords"));
        assertExact(graphql, expected, newestFirst);
        assertTrue(reads > 0);
    }

    /**
     * costByTeam over the window equals the sums worked out from the records sent; so do the totals of a daily
     * trend in a zone that needs 15-minute buckets and raw edges, paging through the window's records (every one
     * once, newest first) and the span serviceInfo reports.
     */
    private static void assertExact(GraphQL graphql, TreeMap<String, long[]> expected, TreeMap<Instant, String> newestFirst) {
        long requests = expected.values().stream().mapToLong(sums -> sums[0]).sum();
        long costUnits = expected.values().stream().mapToLong(sums -> sums[1]).sum();
        Map<String, Object> zoned = new java.util.HashMap<>(WINDOW);
        zoned.put("timeZone", "Asia/Kolkata");
        List<?> days = Json.list(graphql.post("query ($from: DateTime, $to: DateTime, $timeZone: String) "
                + "{ dailyTrend(from: $from, to: $to, timeZone: $timeZone) { requests cost } }", zoned), "data.dailyTrend");
        assertEquals(requests, days.stream().mapToLong(d -> Json.whole(d, "requests")).sum());
        assertEquals(BigDecimal.valueOf(costUnits, 3).setScale(6), days.stream()
                .map(d -> BigDecimal.valueOf(Json.number(d, "cost"))).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(6, java.math.RoundingMode.HALF_EVEN));

        List<String> paged = new ArrayList<>();
        Object after = null;
        do {
            Map<String, Object> variables = new java.util.HashMap<>(WINDOW);
            variables.put("after", after);
            Map<String, Object> page = graphql.post("query ($from: DateTime, $to: DateTime, $after: String) { usageRecords(from: $from, "
                    + "to: $to, first: 700, after: $after) { edges { node { requestId } } pageInfo { hasNextPage endCursor } } }", variables);
            for (Object edge : Json.list(page, "data.usageRecords.edges")) {
                paged.add((String) Json.at(edge, "node.requestId"));
            }
            after = Boolean.TRUE.equals(Json.at(page, "data.usageRecords.pageInfo.hasNextPage"))
                    ? Json.at(page, "data.usageRecords.pageInfo.endCursor") : null;
        } while (after != null);
        assertEquals(List.copyOf(newestFirst.values()), paged);

        Map<String, Object> info = graphql.post("{ serviceInfo { records oldestRecord newestRecord } }", Map.of());
        assertEquals(RECORDS, Json.whole(info, "data.serviceInfo.records"));
        assertEquals(START, Instant.parse((String) Json.at(info, "data.serviceInfo.oldestRecord")));
        assertEquals(START.plusSeconds((RECORDS - 1) * 288L + ((RECORDS - 1) * 7L) % 60),
                Instant.parse((String) Json.at(info, "data.serviceInfo.newestRecord")));

        List<?> rows = Json.list(graphql.data("costByTeam", WINDOW), "costByTeam");
        TreeMap<String, List<Object>> actual = new TreeMap<>();
        for (Object row : rows) {
            actual.put((String) Json.at(row, "team"), List.of(Json.whole(row, "requests"),
                    BigDecimal.valueOf(Json.number(row, "totalCost")).setScale(6, java.math.RoundingMode.HALF_EVEN)));
        }
        TreeMap<String, List<Object>> wanted = new TreeMap<>();
        expected.forEach((team, sums) -> wanted.put(team, List.of(sums[0], BigDecimal.valueOf(sums[1], 3).setScale(6))));
        assertEquals(wanted, actual);
    }
}
