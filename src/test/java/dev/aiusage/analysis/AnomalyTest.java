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

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spend anomalies on a planted series of team anom-team's workflow anom-flow, one call a day: February 2026 alternates
 * $10 and $12 (from the 1st, $10 on odd dates), then March 1 $11, March 2 $16, March 3 $30, and from March 4 $10 and
 * $12 again.
 *
 * <p>March 3: its baseline, February 3 to March 2, holds 13 × 10, 11, 13 × 12 and 16; median (11 + 12) / 2 = 11.5;
 * deviations 13 × 1.5, 0.5, 13 × 0.5, 4.5, whose median is (0.5 + 1.5) / 2 = 1.0; scale max(1.4826 × 1.0, 0.1 × 11.5)
 * = 1.4826; excess 30 − 11.5 = 18.5 > 3.5 × 1.4826 = 5.19 and ≥ $5: flagged, score 18.5 / 1.4826 = 12.478.
 * March 2: median 11.5, MAD 0.5, scale max(0.7413, 1.15) = 1.15, excess 4.5: above 3.5 × 1.15 = 4.03 but under the $5
 * minimum, so not flagged. The week of March 8–14 is normal (excess 0.5 or −2 on scales of 2.22): nothing flagged.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyTest {
    private static final String TEAM = "anom-team";

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        Map<LocalDate, Double> spend = new HashMap<>();
        for (int i = 0; i < 28; i++) {
            spend.put(LocalDate.parse("2026-02-01").plusDays(i), i % 2 == 0 ? 10.0 : 12.0);
        }
        spend.put(LocalDate.parse("2026-03-01"), 11.0);
        spend.put(LocalDate.parse("2026-03-02"), 16.0);
        spend.put(LocalDate.parse("2026-03-03"), 30.0);
        for (int i = 0; i < 11; i++) {
            spend.put(LocalDate.parse("2026-03-04").plusDays(i), i % 2 == 0 ? 10.0 : 12.0);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        spend.forEach((day, cost) -> records.add(Usage.of(day + "T15:00:00Z", TEAM, "m", "anom-flow", "t", cost).map()));
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    private List<?> anomalies(String from, String to) {
        Map<String, Object> variables = Map.of("from", from, "to", to, "filter", Map.of("teams", List.of(TEAM)));
        return Json.list(graphql.data("anomalies", variables), "anomalies");
    }

    @Test
    void aPlantedSpikeIsFoundForItsTeamAndItsWorkflow() {
        List<?> found = anomalies("2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z");
        assertEquals(2, found.size(), () -> "found " + found);
        assertEquals(List.of("TEAM", "WORKFLOW"), found.stream().map(a -> Json.at(a, "dimension")).toList());
        assertEquals(List.of(TEAM, "anom-flow"), found.stream().map(a -> Json.at(a, "name")).toList());
        for (Object a : found) {
            assertEquals("2026-03-03", Json.at(a, "day"));
            assertEquals(30.0, Json.number(a, "spend"), 1e-9);
            assertEquals(11.5, Json.number(a, "baselineMedian"), 1e-9);
            assertEquals(1.0, Json.number(a, "baselineMad"), 1e-9);
            assertEquals(18.5, Json.number(a, "excess"), 1e-9);
            assertEquals(12.478, Json.number(a, "robustScore"), 1e-3);
        }
    }

    @Test
    void aNormalWeekIsNotFlagged() {
        assertEquals(List.of(), anomalies("2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"));
        // the baseline needs a week of history: February's first days are not judged against nothing
        assertEquals(List.of(), anomalies("2026-02-01T00:00:00Z", "2026-02-08T00:00:00Z"));
    }

    @Test
    void aWindowOfMoreThanAQuarterIsRefused() {
        Map<String, Object> variables = new HashMap<>(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-06-01T00:00:00Z"));
        GraphQL.onlyError(graphql.run("anomalies", variables), "BAD_USER_INPUT", "from");
        variables.put("to", "2026-02-01T00:00:00Z");
        variables.put("timeZone", "Nowhere/Atlantis");
        GraphQL.onlyError(graphql.run("anomalies", variables), "BAD_USER_INPUT", "timeZone");
    }

    @Test
    void theWeeklyReportListsTheWeeksAnomalies() {
        Map<String, Object> data = graphql.data("weeklyReport", Map.of("weekEnding", "2026-03-08T00:00:00Z"));
        String markdown = (String) Json.at(data, "weeklyReport.markdown");
        assertTrue(markdown.contains("""
                ## Spend Anomalies (last 7 days)
                - 2026-03-03: team anom-team spent $30.00 against a median of $11.50 a day over the 28 days before (score 12.5)
                - 2026-03-03: workflow anom-flow spent $30.00 against a median of $11.50 a day over the 28 days before (score 12.5)
                """), markdown);
    }
}
