package dev.aiusage.budget;

import dev.aiusage.report.DeliveryScheduler;
import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Budgets on a planted daily series, their forecast worked out by hand, and their alerts to a Slack and a generic
 * webhook that are real HTTP servers on loopback. Now is Monday 2026-06-15 12:00 UTC.
 *
 * <p>Team budget-team spent one call a day over the 28 days before (Mon 2026-05-18 to Sun 06-14): $20 on Saturdays
 * and Sundays; on weekdays $100 in the first and third week, $120 in the second and fourth; and $50 this morning.
 * Weekday means: Monday to Friday (100 + 120 + 100 + 120) / 4 = 110, weekends 20. Residuals ±10 on the 20 weekdays:
 * σ² = 20 × 100 / (28 − 7) = 95.238. June so far: 5 × 100 + 2 × 20 + 5 × 120 + 2 × 20 = 1,180, plus today's 50 =
 * 1,230. Forecast: 1,230 + (110 − 50) for the rest of today + June 16–30's 11 weekdays × 110 and 4 weekend days × 20
 * = 1,230 + 60 + 1,210 + 80 = 2,580. Remaining days (today among them) by weekday: Mon 3, Tue 3, the rest 2 each:
 * R = 16, Σ k²/c = (9 + 9 + 4 × 5) / 4 = 9.5; half-width t(0.95, 21) × √(95.238 × (16 + 9.5)) = 1.72074 × 49.281 =
 * 84.80: [2,495.20, 2,664.80]. Against $2,500: AT_RISK (49.2% spent, below the first threshold).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetTest implements TestPropertyProvider {
    private static final String TEAM = "budget-team";
    private static final String ADMIN = "budget-admin-key-0123456789";
    private final FakeReceiver slack = FakeReceiver.answering(200, "ok");
    private final FakeReceiver webhook = FakeReceiver.answering(202, "");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    @Inject
    DeliveryScheduler scheduler;
    GraphQL graphql;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("test.manual-clock", "true", "aiusage.admin-key", ADMIN,
                "aiusage.report.slack.webhook-url", slack.url("/services/T000/B000/budgetsecret"),
                "aiusage.alerts.webhook.url", webhook.url("/alerts"),
                "aiusage.alerts.webhook.token", "hooktoken-123",
                "aiusage.alerts.check-interval", "0s");
    }

    @BeforeAll
    void load() {
        graphql = new GraphQL(client).as(ADMIN);
        clock.set("2026-06-15T12:00:00Z");
        List<Map<String, Object>> records = new ArrayList<>();
        LocalDate first = LocalDate.parse("2026-05-18");
        for (int i = 0; i < 28; i++) {
            LocalDate day = first.plusDays(i);
            double cost = day.getDayOfWeek().getValue() >= 6 ? 20 : (i / 7) % 2 == 0 ? 100 : 120;
            records.add(Usage.of(day + "T10:00:00Z", TEAM, "m", "budget-flow", "t", cost).map());
        }
        records.add(Usage.of("2026-06-15T06:00:00Z", TEAM, "m", "budget-flow", "t", 50).map());
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    @AfterAll
    void stop() {
        slack.close();
        webhook.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> set(Map<String, Object> input) {
        return (Map<String, Object>) Json.at(graphql.data("setBudget", Map.of("input", input)), "setBudget");
    }

    private List<FakeReceiver.Received> alerts(FakeReceiver receiver) {
        // the weekly report shares the Slack webhook (and names the team): alerts are the messages that start as one
        return receiver.received().stream().filter(r -> r.body().startsWith("{\"text\":\"Budget *") || r.body().startsWith("{\"type\":")).toList();
    }

    @Test
    @Order(1)
    void theForecastFollowsTheWeekdayPattern() {
        Map<String, Object> budget = set(Map.of("name", "Budget team June", "scope", "TEAM", "team", TEAM, "amountUsd", 2500));
        assertEquals("MONTH", budget.get("period"));
        assertEquals("UTC", budget.get("timeZone"));
        assertEquals(List.of(0.5, 0.8, 1.0), budget.get("thresholds"));
        assertEquals("2026-06-01T00:00:00.000Z", budget.get("periodStart"));
        assertEquals("2026-07-01T00:00:00.000Z", budget.get("periodEnd"));
        assertEquals(1230.0, Json.number(budget, "spent"), 1e-9);
        assertEquals(1230.0 / 2500, Json.number(budget, "spentShare"), 1e-12);
        assertEquals(2580.0, Json.number(budget, "forecast.estimate"), 1e-9);
        assertEquals(2495.20, Json.number(budget, "forecast.lower"), 0.01);
        assertEquals(2664.80, Json.number(budget, "forecast.upper"), 0.01);
        assertEquals("AT_RISK", budget.get("status"));
        assertNull(budget.get("workflow"));
    }

    @Test
    @Order(2)
    void aQuarterInAZoneStartsAtItsLocalMidnight() {
        // April 1 00:00 in New York (EDT, UTC−4); all the planted spend lies in the quarter: 28 history days + today
        Map<String, Object> budget = set(Map.of("name", "Company Q2", "scope", "COMPANY", "amountUsd", 100000, "period", "QUARTER",
                "timeZone", "America/New_York", "thresholds", List.of(0.9, 0.25)));
        assertEquals("2026-04-01T04:00:00.000Z", budget.get("periodStart"));
        assertEquals("2026-07-01T04:00:00.000Z", budget.get("periodEnd"));
        assertEquals(List.of(0.25, 0.9), budget.get("thresholds"), "kept ascending");
        assertTrue(Json.number(budget, "spent") >= 1180 + 540 + 50, "at least the planted team's spend from May 18");
        assertEquals("ON_TRACK", budget.get("status"));
        // setting it again changes it: the same id, the new amount
        Map<String, Object> again = set(Map.of("name", "Company Q2", "scope", "COMPANY", "amountUsd", 200000, "period", "QUARTER",
                "timeZone", "America/New_York"));
        assertEquals(budget.get("id"), again.get("id"));
        assertEquals(200000.0, Json.number(again, "amountUsd"));
        assertTrue(graphql.data("deleteBudget", Map.of("id", again.get("id"))).get("deleteBudget").equals(true));
        assertEquals(false, graphql.data("deleteBudget", Map.of("id", again.get("id"))).get("deleteBudget"));
    }

    @Test
    @Order(3)
    void theForecastAlertGoesOutOnceToEachDestination() {
        scheduler.tick();
        scheduler.tick();
        List<FakeReceiver.Received> toSlack = alerts(slack);
        assertEquals(1, toSlack.size(), () -> "slack got " + toSlack);
        Map<String, Object> text = Json.parse(toSlack.get(0).body());
        assertEquals(Map.of("text", "Budget *Budget team June* (team budget-team, 2026-06) is at risk: forecast for the period's end "
                + "$2,580.00 (90% interval $2,495.20 to $2,664.80) against $2,500.00; $1,230.00 spent so far."), text);
        List<FakeReceiver.Received> toHook = alerts(webhook);
        assertEquals(1, toHook.size());
        assertEquals("Bearer hooktoken-123", toHook.get(0).header("Authorization"));
        Map<String, Object> body = Json.parse(toHook.get(0).body());
        assertEquals("budget.forecast", body.get("type"));
        assertEquals("TEAM", Json.at(body, "budget.scope"));
        assertEquals(TEAM, Json.at(body, "budget.team"));
        assertEquals(2500.0, Json.number(body, "budget.amountUsd"));
        assertEquals(1230.0, Json.number(body, "spentUsd"), 1e-9);
        assertEquals(2580.0, Json.number(body, "forecastUsd.estimate"), 1e-9);
        assertEquals("AT_RISK", body.get("status"));
    }

    @Test
    @Order(4)
    void eachThresholdAlertsOncePerPeriod() {
        // $20 more today: 1,250 of 2,500 = 50%
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(Usage.of("2026-06-15T11:00:00Z", TEAM, "m", "budget-flow", "t", 20).map())));
        clock.set("2026-06-15T12:30:00Z");
        scheduler.tick();
        scheduler.tick();
        List<FakeReceiver.Received> toSlack = alerts(slack);
        assertEquals(2, toSlack.size());
        assertEquals("Budget *Budget team June* (team budget-team, 2026-06) reached 50%: $1,250.00 spent of $2,500.00; forecast for "
                + "the period's end $2,580.00 (90% interval $2,495.20 to $2,664.80).", Json.at(Json.parse(toSlack.get(1).body()), "text"));
        Map<String, Object> body = Json.parse(alerts(webhook).get(1).body());
        assertEquals("budget.threshold", body.get("type"));
        assertEquals(0.5, Json.number(body, "threshold"));
        // next month is a new period: June's alerts are not sent again, July starts with nothing spent
        clock.set("2026-07-01T08:00:00Z");
        scheduler.tick();
        assertEquals(2, alerts(slack).size());
    }

    @Test
    @Order(5)
    void aTeamKeySeesItsTeamsBudgets() {
        Map<String, Object> key = graphql.data("createApiKey", Map.of("name", "budget team", "role", "TEAM", "team", TEAM));
        GraphQL team = new GraphQL(client).as((String) Json.at(key, "createApiKey.secret"));
        List<?> seen = Json.list(team.data("budgets", Map.of()), "budgets");
        assertEquals(List.of("Budget team June"), seen.stream().map(b -> Json.at(b, "name")).toList());
        set(Map.of("name", "Other team", "scope", "TEAM", "team", "someone-else", "amountUsd", 10));
        assertEquals(1, Json.list(team.data("budgets", Map.of()), "budgets").size());
        GraphQL.onlyError(team.run("setBudget", Map.of("input", Map.of("name", "x", "scope", "TEAM", "team", TEAM,
                "amountUsd", 1))), "FORBIDDEN", null);
    }

    @Test
    @Order(6)
    void badBudgetsAreRefusedByField() {
        Map<String, Object> good = Map.of("name", "b", "scope", "TEAM", "team", TEAM, "amountUsd", 10);
        for (var bad : List.of(Map.entry("amountUsd", (Object) 0), Map.entry("amountUsd", -5), Map.entry("thresholds", List.of()),
                Map.entry("thresholds", List.of(0.5, 0.5)), Map.entry("thresholds", List.of(11.0)), Map.entry("timeZone", "Mars/Olympus"),
                Map.entry("workflow", "wf"))) {
            Map<String, Object> input = new HashMap<>(good);
            input.put(bad.getKey(), bad.getValue());
            GraphQL.onlyError(graphql.run("setBudget", Map.of("input", input)), "BAD_USER_INPUT", bad.getKey());
        }
        Map<String, Object> company = new HashMap<>(good);
        company.put("scope", "COMPANY");
        GraphQL.onlyError(graphql.run("setBudget", Map.of("input", company)), "BAD_USER_INPUT", "team");
        GraphQL.onlyError(graphql.run("deleteBudget", Map.of("id", "abc")), "BAD_USER_INPUT", "id");
    }
}
