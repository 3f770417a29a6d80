package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * costByTeam, costByWorkflow, modelEfficiency and dailyTrend over a fixture whose every answer is worked out
 * by hand in the comments. The main window is [2026-01-05T00:00Z, 2026-01-12T00:00Z).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsTest {
    static final String FROM = "2026-01-05T00:00:00Z";
    static final String TO = "2026-01-12T00:00:00Z";
    static final double EPS = 1e-9;

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        List<Map<String, Object>> fixture = List.of(
                // 1: exactly at `from`, so inside the half-open window
                Usage.of("2026-01-05T00:00:00Z", "alpha", "m-big", "chat", "answer", 0.30).tokens(100, 50).latency(1000).quality(0.9, true).map(),
                // 2: never scored nor checked: not a failure, not in modelEfficiency
                Usage.of("2026-01-06T10:00:00Z", "alpha", "m-big", "chat", "answer", 0.50).tokens(200, 100).latency(3000).map(),
                // 3: no latency reported
                Usage.of("2026-01-06T23:30:00Z", "beta", "m-small", "chat", "answer", 0.10).tokens(100, 20).quality(0.8, false).map(),
                // 4: no workflow, no tokens, checked but not scored
                Usage.of("2026-01-07T12:00:00Z", "beta", "m-small", null, "summarize", 0.20).latency(500).quality(null, true).map(),
                // 5: the last second of the window
                Usage.of("2026-01-11T23:59:59Z", "gamma", "m-big", "chat", "answer", 0.40).tokens(10, 10).latency(2000).quality(0.6, false).map(),
                // 6: exactly at `to`, so outside; 7: one second before `from`, outside
                Usage.of("2026-01-12T00:00:00Z", "alpha", "m-big", "chat", "answer", 100.0).map(),
                Usage.of("2026-01-04T23:59:59Z", "alpha", "m-big", "chat", "answer", 100.0).map(),
                // 8, 9: a tie on cost in February, broken by team name
                Usage.of("2026-02-01T00:00:00Z", "zeta", "m-big", "chat", "answer", 1.0).map(),
                Usage.of("2026-02-01T01:00:00Z", "eta", "m-big", "chat", "answer", 1.0).map(),
                // 10-12: a tie on quality in March, broken by average cost, then by model name
                Usage.of("2026-03-01T00:00:00Z", "delta", "m-x", "chat", "answer", 0.50).quality(0.7, null).map(),
                Usage.of("2026-03-01T01:00:00Z", "delta", "m-y", "chat", "answer", 0.20).quality(0.7, null).map(),
                Usage.of("2026-03-01T02:00:00Z", "delta", "m-a", "chat", "answer", 0.50).quality(0.7, null).map(),
                // 13-15: around the start of daylight saving time in Berlin (2026-03-29T01:00Z, +01:00 to +02:00)
                Usage.of("2026-03-28T23:30:00Z", "epsilon", "m-big", "chat", "answer", 1.0).map(),
                Usage.of("2026-03-29T22:30:00Z", "epsilon", "m-big", "chat", "answer", 2.0).map(),
                Usage.of("2026-03-29T21:30:00Z", "epsilon", "m-big", "chat", "answer", 4.0).map());
        Map<String, Object> data = graphql.data("recordUsageBatch", Map.of("inputs", fixture));
        assertEquals(fixture.size(), Json.whole(data, "recordUsageBatch.accepted"));
    }

    private Map<String, Object> window(String from, String to) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("from", from);
        variables.put("to", to);
        return variables;
    }

    @Test
    void costByTeamSumsTheHalfOpenWindowDearestFirst() {
        Map<String, Object> data = graphql.data("costByTeam", window(FROM, TO));
        List<?> teams = Json.list(data, "costByTeam");
        assertEquals(3, teams.size());
        // alpha: records 1 and 2 (not 6, at `to`, nor 7, before `from`); quality only from record 1
        assertTeam(teams.get(0), "alpha", 0.80, 2, 450, 0.9);
        assertTeam(teams.get(1), "gamma", 0.40, 1, 20, 0.6);
        // beta: record 4 has no tokens, which count as 0; quality only from record 3
        assertTeam(teams.get(2), "beta", 0.30, 2, 120, 0.8);
    }

    @Test
    void costByTeamBreaksTiesByName() {
        Map<String, Object> data = graphql.data("costByTeam", window("2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z"));
        assertEquals("eta", Json.at(data, "costByTeam[0].team"));
        assertEquals("zeta", Json.at(data, "costByTeam[1].team"));
        assertNull(Json.at(data, "costByTeam[0].avgQuality"), "no scored call, so no average quality");
    }

    @Test
    void onlyToMeansTheDaysBeforeIt() {
        Map<String, Object> variables = window(null, TO);
        variables.put("days", 7);
        assertEquals(graphql.data("costByTeam", window(FROM, TO)), graphql.data("costByTeam", variables));
    }

    @Test
    void onlyFromMeansUpToNow() {
        Map<String, Object> data = graphql.data("costByTeam", window(FROM, null));
        // alpha now also has record 6 (2026-01-12), still not record 7
        assertTeam(Json.list(data, "costByTeam").get(0), "alpha", 100.80, 3, 450, 0.9);
        // every team from January to March is in
        assertEquals(7, Json.list(data, "costByTeam").size());
    }

    @Test
    void filtersNarrowByEveryListGiven() {
        Map<String, Object> variables = window(FROM, TO);
        variables.put("filter", Map.of("models", List.of("m-small")));
        List<?> teams = Json.list(graphql.data("costByTeam", variables), "costByTeam");
        assertEquals(1, teams.size());
        assertTeam(teams.get(0), "beta", 0.30, 2, 120, 0.8);

        variables.put("filter", Map.of("teams", List.of("alpha", "beta"), "taskTypes", List.of("answer")));
        teams = Json.list(graphql.data("costByTeam", variables), "costByTeam");
        assertEquals(2, teams.size());
        assertTeam(teams.get(0), "alpha", 0.80, 2, 450, 0.9);
        assertTeam(teams.get(1), "beta", 0.10, 1, 120, 0.8);
    }

    @Test
    void costByWorkflowCountsOnlyCheckedCallsInThePassRate() {
        List<?> rows = Json.list(graphql.data("costByWorkflow", window(FROM, TO)), "costByWorkflow");
        assertEquals(3, rows.size());
        // records 1, 2, 5: latency (1000+3000+2000)/3; quality (0.9+0.6)/2; pass rate 1 of the 2 checked
        // calls (the article would say 1 of 3, counting the unchecked record 2 as a failure)
        assertWorkflow(rows.get(0), "chat", "answer", "m-big", 1.20, 3, 0.40, 2000.0, 0.75, 0.5);
        // record 4: no workflow, checked and passed, not scored
        assertWorkflow(rows.get(1), null, "summarize", "m-small", 0.20, 1, 0.20, 500.0, null, 1.0);
        // record 3: no latency
        assertWorkflow(rows.get(2), "chat", "answer", "m-small", 0.10, 1, 0.10, null, 0.8, 0.0);
    }

    @Test
    void costByWorkflowPassRateIsNullWhenNothingWasChecked() {
        List<?> rows = Json.list(graphql.data("costByWorkflow", window("2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z")), "costByWorkflow");
        assertEquals(1, rows.size());
        assertWorkflow(rows.get(0), "chat", "answer", "m-big", 2.0, 2, 1.0, null, null, null);
    }

    @Test
    void modelEfficiencyUsesScoredCallsBestQualityFirst() {
        List<?> rows = Json.list(graphql.data("modelEfficiency", window(FROM, TO)), "modelEfficiency");
        assertEquals(2, rows.size());
        // m-small: record 3 only (record 4 is not scored)
        assertModel(rows.get(0), "m-small", 0.10, 0.10, null, 0.8, 1);
        // m-big: records 1 and 5 (record 2 is not scored)
        assertModel(rows.get(1), "m-big", 0.70, 0.35, 1500.0, 0.75, 2);
    }

    @Test
    void modelEfficiencyBreaksQualityTiesByCostThenName() {
        List<?> rows = Json.list(graphql.data("modelEfficiency", window("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")), "modelEfficiency");
        assertEquals(List.of("m-y", "m-a", "m-x"), rows.stream().map(r -> Json.at(r, "model")).toList());
    }

    @Test
    void dailyTrendHasEveryDayOfTheWindowInUtc() {
        Map<String, Object> variables = window(FROM, TO);
        List<?> days = Json.list(graphql.data("dailyTrend", variables), "dailyTrend");
        assertDays(days, List.of(
                day("2026-01-05", 0.30, 1, 1),
                day("2026-01-06", 0.60, 2, 2),
                day("2026-01-07", 0.20, 1, 1),
                day("2026-01-08", 0, 0, 0),
                day("2026-01-09", 0, 0, 0),
                day("2026-01-10", 0, 0, 0),
                day("2026-01-11", 0.40, 1, 1)));
    }

    @Test
    void dailyTrendUsesTheCalendarDaysOfTheTimeZone() {
        Map<String, Object> variables = window(FROM, TO);
        // New York is at -05:00 in January: the window is Jan 4 19:00 to Jan 11 19:00 there
        variables.put("timeZone", "America/New_York");
        assertDays(Json.list(graphql.data("dailyTrend", variables), "dailyTrend"), List.of(
                day("2026-01-04", 0.30, 1, 1),
                day("2026-01-05", 0, 0, 0),
                day("2026-01-06", 0.60, 2, 2),
                day("2026-01-07", 0.20, 1, 1),
                day("2026-01-08", 0, 0, 0),
                day("2026-01-09", 0, 0, 0),
                day("2026-01-10", 0, 0, 0),
                day("2026-01-11", 0.40, 1, 1)));
        // Kolkata is at +05:30: record 3 (23:30Z) falls on Jan 7 with record 4, both beta's; record 5 on Jan 12
        variables.put("timeZone", "Asia/Kolkata");
        assertDays(Json.list(graphql.data("dailyTrend", variables), "dailyTrend"), List.of(
                day("2026-01-05", 0.30, 1, 1),
                day("2026-01-06", 0.50, 1, 1),
                day("2026-01-07", 0.30, 2, 1),
                day("2026-01-08", 0, 0, 0),
                day("2026-01-09", 0, 0, 0),
                day("2026-01-10", 0, 0, 0),
                day("2026-01-11", 0, 0, 0),
                day("2026-01-12", 0.40, 1, 1)));
    }

    @Test
    void dailyTrendFollowsDaylightSavingTime() {
        Map<String, Object> variables = window("2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z");
        variables.put("filter", Map.of("teams", List.of("epsilon")));
        // UTC: record 13 on the 28th, records 14 and 15 on the 29th
        assertDays(Json.list(graphql.data("dailyTrend", variables), "dailyTrend"), List.of(
                day("2026-03-28", 1.0, 1, 1),
                day("2026-03-29", 6.0, 2, 1),
                day("2026-03-30", 0, 0, 0)));
        // Berlin: record 13 is 00:30 on the 29th (+01:00); record 15 is 23:30 on the 29th and record 14
        // 00:30 on the 30th (+02:00, after the switch). The window runs from 01:00 on the 28th to 02:00 on the 31st.
        variables.put("timeZone", "Europe/Berlin");
        assertDays(Json.list(graphql.data("dailyTrend", variables), "dailyTrend"), List.of(
                day("2026-03-28", 0, 0, 0),
                day("2026-03-29", 5.0, 2, 1),
                day("2026-03-30", 2.0, 1, 1),
                day("2026-03-31", 0, 0, 0)));
    }

    @Test
    void refusesWindowsThatMakeNoSense() {
        for (String query : List.of("costByTeam", "costByWorkflow", "modelEfficiency", "dailyTrend", "substitutionOpportunities")) {
            GraphQL.onlyError(graphql.run(query, Map.of("days", 0)), "BAD_USER_INPUT", "days");
            GraphQL.onlyError(graphql.run(query, Map.of("days", 3661)), "BAD_USER_INPUT", "days");
            GraphQL.onlyError(graphql.run(query, window(TO, FROM)), "BAD_USER_INPUT", "from");
            GraphQL.onlyError(graphql.run(query, window(FROM, FROM)), "BAD_USER_INPUT", "from");
            GraphQL.onlyError(graphql.run(query, Map.of("filter", Map.of("teams", List.of("")))), "BAD_USER_INPUT", "filter.teams");
            graphql.data(query, Map.of("days", 3660));
        }
        for (String zone : List.of("Mars/Base", "", "UTC+99")) {
            GraphQL.onlyError(graphql.run("dailyTrend", Map.of("timeZone", zone)), "BAD_USER_INPUT", "timeZone");
        }
    }

    private static void assertTeam(Object row, String team, double cost, long requests, long tokens, Double quality) {
        assertEquals(team, Json.at(row, "team"));
        assertEquals(cost, Json.number(row, "totalCost"), EPS);
        assertEquals(requests, Json.whole(row, "requests"));
        assertEquals(tokens, Json.whole(row, "tokens"));
        assertNullable(quality, Json.at(row, "avgQuality"));
    }

    private static void assertWorkflow(Object row, String workflow, String task, String model, double cost, long requests,
                                       double avgCost, Double latency, Double quality, Double passRate) {
        assertEquals(workflow, Json.at(row, "workflow"));
        assertEquals(task, Json.at(row, "taskType"));
        assertEquals(model, Json.at(row, "model"));
        assertEquals(cost, Json.number(row, "totalCost"), EPS);
        assertEquals(requests, Json.whole(row, "requests"));
        assertEquals(avgCost, Json.number(row, "avgCostPerCall"), EPS);
        assertNullable(latency, Json.at(row, "avgLatencyMs"));
        assertNullable(quality, Json.at(row, "avgQuality"));
        assertNullable(passRate, Json.at(row, "passRate"));
    }

    private static void assertModel(Object row, String model, double cost, double avgCost, Double latency, double quality, long requests) {
        assertEquals(model, Json.at(row, "model"));
        assertEquals(cost, Json.number(row, "totalCost"), EPS);
        assertEquals(avgCost, Json.number(row, "avgCost"), EPS);
        assertNullable(latency, Json.at(row, "avgLatencyMs"));
        assertEquals(quality, Json.number(row, "avgQuality"), EPS);
        assertEquals(requests, Json.whole(row, "requests"));
    }

    private static void assertNullable(Double expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
        } else {
            assertEquals(expected, ((Number) actual).doubleValue(), EPS);
        }
    }

    private record Day(String day, double cost, long requests, long activeTeams) {
    }

    private static Day day(String day, double cost, long requests, long activeTeams) {
        return new Day(day, cost, requests, activeTeams);
    }

    private static void assertDays(List<?> actual, List<Day> expected) {
        assertEquals(expected.size(), actual.size(), () -> "days: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            Day e = expected.get(i);
            Object a = actual.get(i);
            assertEquals(e.day(), Json.at(a, "day"));
            assertEquals(e.cost(), Json.number(a, "cost"), EPS, () -> "cost of " + e.day());
            assertEquals(e.requests(), Json.whole(a, "requests"), () -> "requests of " + e.day());
            assertEquals(e.activeTeams(), Json.whole(a, "activeTeams"), () -> "teams of " + e.day());
        }
    }
}
