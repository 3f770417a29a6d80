package dev.aiusage.http;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The article's REST endpoints, which existing scripts call: /usage/team/{team} and /usage/report. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfServiceTest {
    @Inject
    @Client("/")
    HttpClient client;
    final Instant now = Instant.now();

    @BeforeAll
    void load() {
        new GraphQL(client).data("recordUsageBatch", Map.of("inputs", List.of(
                Usage.of(now.minus(1, ChronoUnit.HOURS).toString(), "selfserve", "m", null, "t", 1.25).map(),
                Usage.of(now.minus(49, ChronoUnit.HOURS).toString(), "selfserve", "m", null, "t", 0.75).map(),
                Usage.of(now.minus(40, ChronoUnit.DAYS).toString(), "selfserve", "m", null, "t", 10).map(),
                Usage.of(now.minus(2, ChronoUnit.HOURS).toString(), "other", "m", null, "t", 5).map())));
    }

    private Map<String, Object> get(String uri) {
        return client.toBlocking().retrieve(HttpRequest.GET(uri), Argument.mapOf(String.class, Object.class));
    }

    @Test
    void teamUsageGivesEveryDayOfTheWindow() {
        Map<String, Object> body = get("/usage/team/selfserve?days=30");
        assertEquals("selfserve", body.get("team"));
        assertEquals(30, Json.whole(body, "days"));
        // the record 40 days ago and the other team's are not counted
        assertEquals(2.0, Json.number(body, "total_cost"), 1e-9);
        List<?> daily = Json.list(body, "daily");
        // [now − 30 days, now) touches 31 UTC calendar days
        assertEquals(31, daily.size());
        String recent = now.minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        String older = now.minus(49, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        for (Object day : daily) {
            String date = (String) Json.at(day, "day");
            double expected = date.equals(recent) ? 1.25 : date.equals(older) ? 0.75 : 0;
            assertEquals(expected, Json.number(day, "cost"), 1e-9, date);
            assertEquals(expected == 0 ? 0 : 1, Json.whole(day, "requests"), date);
        }
    }

    @Test
    void teamUsageDefaultsToThirtyDays() {
        assertEquals(30, Json.whole(get("/usage/team/selfserve"), "days"));
        assertEquals(7, Json.whole(get("/usage/team/selfserve?days=7"), "days"));
    }

    @Test
    void badParametersAreAClientError() {
        for (var bad : List.of(Map.entry("/usage/team/selfserve?days=abc", "days"), Map.entry("/usage/team/selfserve?days=0", "days"),
                Map.entry("/usage/team/selfserve?days=99999", "days"), Map.entry("/usage/team/" + "x".repeat(201), "team"),
                Map.entry("/usage/team/selfserve?timeZone=Nowhere/City", "timeZone"))) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> get(bad.getKey()));
            assertEquals(400, e.getStatus().getCode(), bad.getKey());
            Map<?, ?> error = e.getResponse().getBody(Argument.mapOf(String.class, Object.class)).orElseThrow();
            assertEquals("BAD_USER_INPUT", Json.at(error, "error.code"), bad.getKey());
            assertEquals(bad.getValue(), Json.at(error, "error.field"), bad.getKey());
            Safety.assertNoInternals(String.valueOf(error));
        }
    }

    @Test
    void reportIsTheWeeklyMarkdown() {
        String report = (String) get("/usage/report").get("report");
        assertTrue(report.startsWith("# AI Usage Report — week of "), report);
        assertTrue(report.contains("- selfserve: $2.00 (2 requests"), report);
        assertTrue(report.contains("- other: $5.00 (1 request"), report);
    }
}
