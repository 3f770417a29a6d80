package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Usage by seniority week by week, and a team's power users, over four weeks worked out by hand. Now is
 * Thursday 2026-10-29, so the last four whole weeks start on Mondays Sept 28, Oct 5, 12 and 19.
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerUsersAndTrendTest {
    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    GraphQL graphql;

    /**
     * p1 (SENIOR): 6 calls of model a at $1 in week 1, 2 of model b in week 2 (scored 0.8 and 0.6).
     * p3 (STAFF, no start date): 5 calls of a at $0.50 in week 2. p2 (JUNIOR, started Oct 14): 7 calls of c at
     * $0.10, scored 0.9, in week 3. One call without a user, $3, in week 4.
     */
    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        clock.set("2026-10-29T12:00:00Z");
        graphql.data("upsertPeople", Map.of("people", List.of(person("p1", "SENIOR", "2020-01-01"), person("p2", "JUNIOR", "2026-10-14"),
                person("p3", "STAFF", null))));
        List<Map<String, Object>> records = new ArrayList<>();
        add(records, 6, "2026-09-30T10:00:00Z", "p1", "a", 1.0, null);
        records.add(Usage.of("2026-10-06T10:00:00Z", "t1", "b", "w", "t", 1.0).set("user", "p1").quality(0.8, null).map());
        records.add(Usage.of("2026-10-07T10:00:00Z", "t1", "b", "w", "t", 1.0).set("user", "p1").quality(0.6, null).map());
        add(records, 5, "2026-10-08T10:00:00Z", "p3", "a", 0.5, null);
        add(records, 7, "2026-10-15T10:00:00Z", "p2", "c", 0.1, 0.9);
        records.add(Usage.of("2026-10-20T10:00:00Z", "t1", "a", "w", "t", 3.0).map());
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    private static Map<String, Object> person(String user, String level, String start) {
        Map<String, Object> p = new HashMap<>(Map.of("user", user, "displayName", user.toUpperCase(), "team", "t1", "level", level));
        p.put("startDate", start);
        return p;
    }

    private static void add(List<Map<String, Object>> records, int n, String ts, String user, String model, double cost, Double quality) {
        for (int i = 0; i < n; i++) {
            Usage usage = Usage.of(ts, "t1", model, "w", "t", cost).set("user", user);
            records.add((quality == null ? usage : usage.quality(quality, null)).map());
        }
    }

    @Test
    void seniorityWeekByWeek() {
        List<?> weeks = Json.list(graphql.data("adoptionTrend", Map.of("weeks", 4)), "adoptionTrend");
        assertEquals(List.of("2026-09-28T00:00:00.000Z", "2026-10-05T00:00:00.000Z", "2026-10-12T00:00:00.000Z", "2026-10-19T00:00:00.000Z"),
                weeks.stream().map(w -> Json.at(w, "weekStart")).toList());
        // group people active withUsage calls activeShare
        assertEquals(List.of("JUNIOR 0 0 0 0 0.0", "MID 0 0 0 0 0.0", "SENIOR 1 1 1 6 1.0", "STAFF 1 0 0 0 0.0", "PRINCIPAL 0 0 0 0 0.0",
                "SENIOR+ 2 1 1 6 0.5"), rows(weeks.get(0)));
        assertEquals(List.of("JUNIOR 0 0 0 0 0.0", "MID 0 0 0 0 0.0", "SENIOR 1 0 1 2 0.0", "STAFF 1 1 1 5 1.0", "PRINCIPAL 0 0 0 0 0.0",
                "SENIOR+ 2 1 2 7 0.5"), rows(weeks.get(1)));
        assertEquals(List.of("JUNIOR 1 1 1 7 1.0", "MID 0 0 0 0 0.0", "SENIOR 1 0 0 0 0.0", "STAFF 1 0 0 0 0.0", "PRINCIPAL 0 0 0 0 0.0",
                "SENIOR+ 2 0 0 0 0.0"), rows(weeks.get(2)));
        assertEquals(List.of("JUNIOR 1 0 0 0 0.0", "MID 0 0 0 0 0.0", "SENIOR 1 0 0 0 0.0", "STAFF 1 0 0 0 0.0", "PRINCIPAL 0 0 0 0 0.0",
                "SENIOR+ 2 0 0 0 0.0"), rows(weeks.get(3)));
        GraphQL.onlyError(graphql.run("adoptionTrend", Map.of("weeks", 0)), "BAD_USER_INPUT", "weeks");
    }

    @Test
    void aTeamsPowerUsersByCallsAndByCost() {
        Map<String, Object> data = graphql.data("powerUsers", Map.of("team", "t1", "from", "2026-09-28T00:00:00Z", "to", "2026-10-26T00:00:00Z", "limit", 2));
        assertEquals(21, Json.whole(data, "powerUsers.teamCalls"));
        assertEquals(14.2, Json.number(data, "powerUsers.teamCost"), 1e-9);
        List<?> byCalls = Json.list(data, "powerUsers.byCalls");
        assertEquals(List.of("p1", "p2"), byCalls.stream().map(u -> Json.at(u, "user")).toList());
        Map<?, ?> p1 = (Map<?, ?>) byCalls.get(0);
        assertEquals("P1", p1.get("displayName"));
        assertEquals(8, Json.whole(p1, "calls"));
        assertEquals(8.0, Json.number(p1, "cost"), 1e-9);
        assertEquals(8.0 / 21, Json.number(p1, "callShare"), 1e-9);
        assertEquals(8.0 / 14.2, Json.number(p1, "costShare"), 1e-9);
        assertEquals(List.of("a", "b"), p1.get("models"));
        assertEquals(0.7, Json.number(p1, "avgQuality"), 1e-9);
        assertEquals(0.9, Json.number(byCalls.get(1), "avgQuality"), 1e-9);
        List<?> byCost = Json.list(data, "powerUsers.byCost");
        assertEquals(List.of("p1", "p3"), byCost.stream().map(u -> Json.at(u, "user")).toList());
        assertEquals(null, Json.at(byCost.get(1), "avgQuality"));
        GraphQL.onlyError(graphql.run("powerUsers", Map.of("team", "t1", "limit", 0)), "BAD_USER_INPUT", "limit");
    }

    private static List<String> rows(Object week) {
        List<Object> groups = new ArrayList<>(Json.list(week, "levels"));
        groups.add(Json.at(week, "seniors"));
        return groups.stream().map(g -> Json.at(g, "group") + " " + Json.at(g, "people") + " " + Json.at(g, "active") + " "
                + Json.at(g, "withUsage") + " " + Json.at(g, "calls") + " " + Json.number(g, "activeShare")).toList();
    }
}
