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

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Raw-record retention keeps every figure the rollups hold and refuses what they cannot answer. The clock stands
 * at 2026-06-20T12:00Z and three days of raw records are kept, so the horizon is 2026-06-17T00:00Z. Team
 * {@code keep} has two calls of $1 at 06-10 10:00, one of $2 at 06-16 23:30 (all three before the horizon), one of
 * $4 at 06-17 00:10 and one of $8 at 06-19 08:00: $16 over five calls.
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
@Property(name = "aiusage.retention.raw-days", value = "3")
@Property(name = "aiusage.retention.grace", value = "0s")
@Property(name = "aiusage.retention.initial-delay", value = "1h")
class RetentionTest {
    private static final Map<String, Object> WHOLE_DAYS = Map.of("from", "2026-06-10T00:00:00Z", "to", "2026-06-21T00:00:00Z");

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    ManualClock clock;

    @Inject
    RawRetention retention;

    @Test
    void rollupsKeepEveryFigureAndWhatNeedsDroppedRecordsIsRefused() {
        clock.set("2026-06-20T12:00:00Z");
        GraphQL graphql = new GraphQL(client);
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(
                Usage.of("2026-06-10T10:00:00Z", "keep", "m", "wf", "t", 1.0).set("requestId", "old-1").map(),
                Usage.of("2026-06-10T10:00:00Z", "keep", "m", "wf", "t", 1.0).set("requestId", "old-2").map(),
                Usage.of("2026-06-16T23:30:00Z", "keep", "m", "wf", "t", 2.0).map(),
                Usage.of("2026-06-17T00:10:00Z", "keep", "m", "wf", "t", 4.0).map(),
                Usage.of("2026-06-19T08:00:00Z", "keep", "m", "wf", "t", 8.0).map())));
        graphql.data("rebuildRollups", Map.of());

        RawRetention.Result round = retention.apply();
        assertEquals("2026-06-17T00:00:00Z", round.rawFrom().toString());
        assertEquals(3, round.deleted());
        assertEquals(2, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records"), "raw records kept");

        // whole days: every figure, from the rollups
        assertTeam(graphql.data("costByTeam", WHOLE_DAYS), 16.0, 5);
        assertEquals(List.of(2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 4.0, 0.0, 8.0, 0.0),
                Json.list(graphql.data("dailyTrend", WHOLE_DAYS), "dailyTrend").stream().map(d -> Json.number(d, "cost")).toList());
        // the team totals keep 15-minute buckets: an edge on one is answered; one inside a bucket needs dropped records
        assertTeam(graphql.data("costByTeam", Map.of("from", "2026-06-10T10:30:00Z", "to", "2026-06-21T00:00:00Z")), 14.0, 3);
        gone(graphql.run("costByTeam", Map.of("from", "2026-06-10T10:07:00Z", "to", "2026-06-21T00:00:00Z")), "from");
        // workflows keep days: a mid-day edge before the horizon is refused, one after it is answered
        gone(graphql.run("costByWorkflow", Map.of("from", "2026-06-10T10:30:00Z", "to", "2026-06-21T00:00:00Z")), "from");
        Map<String, Object> recent = graphql.data("costByWorkflow", Map.of("from", "2026-06-17T00:00:00Z", "to", "2026-06-20T12:00:00Z"));
        assertEquals(12.0, Json.number(recent, "costByWorkflow[0].totalCost"), 1e-9);
        // raw records themselves
        gone(graphql.run("usageRecords", Map.of("from", "2026-06-10T00:00:00Z", "to", "2026-06-21T00:00:00Z")), "from");
        assertEquals(2, Json.list(graphql.data("usageRecords", Map.of("from", "2026-06-17T00:00:00Z", "to", "2026-06-21T00:00:00Z")),
                "usageRecords.edges").size());
        gone(graphql.run("promptInsights", Map.of("from", "2026-06-10T00:00:00Z", "to", "2026-06-21T00:00:00Z")), "from");

        // a rebuild keeps the rollups before the horizon; a late retry of a dropped record is still a duplicate
        graphql.data("rebuildRollups", Map.of());
        assertTeam(graphql.data("costByTeam", WHOLE_DAYS), 16.0, 5);
        assertEquals(1, Json.whole(graphql.data("recordUsage", Map.of("input",
                Usage.of("2026-06-10T10:00:00Z", "keep", "m", "wf", "t", 1.0).set("requestId", "old-1").map())), "recordUsage.duplicates"));
        // an old call arriving now is counted, and dropped from the raw records by the next round
        graphql.data("recordUsage", Map.of("input", Usage.of("2026-06-12T09:00:00Z", "keep", "m", "wf", "t", 0.5).map()));
        assertTeam(graphql.data("costByTeam", WHOLE_DAYS), 16.5, 6);
        graphql.data("rebuildRollups", Map.of());
        assertEquals(1, retention.apply().deleted());
        assertTeam(graphql.data("costByTeam", WHOLE_DAYS), 16.5, 6);
    }

    private static void assertTeam(Map<String, Object> data, double cost, int requests) {
        assertEquals(cost, Json.number(data, "costByTeam[0].totalCost"), 1e-9);
        assertEquals(requests, Json.whole(data, "costByTeam[0].requests"));
    }

    private static void gone(Map<String, Object> response, String field) {
        Map<String, Object> error = GraphQL.onlyError(response, "OUTSIDE_RETENTION", field);
        assertEquals("2026-06-17T00:00:00Z", Json.at(error, "extensions.rawFrom"));
    }
}
