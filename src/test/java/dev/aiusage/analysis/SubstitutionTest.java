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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Substitution analysis on hand-built workflows, each showing one of the article's defects fixed. Scenarios
 * S1-S4 are on 2026-04-02, S5 on 2026-04-12; the main window is the 10 days [2026-04-01, 2026-04-11), so
 * savings are projected × 30 / 10 = × 3.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubstitutionTest {
    static final String FROM = "2026-04-01T00:00:00Z";
    static final String TO = "2026-04-11T00:00:00Z";
    static final double EPS = 1e-9;

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        List<Map<String, Object>> records = new ArrayList<>();
        String day = "2026-04-02T10:00:00Z";
        // S1, a good middle model: the article compared only the dearest (dear) with the cheapest (cheap),
        // whose quality is far lower, and found nothing. dear's 2 unscored calls at 1.60 raise its average
        // cost to (4 × 1.00 + 2 × 1.60) / 6 = 1.20 and its volume to 6, but not its quality (0.90).
        scored(records, day, "triage", "classify", "dear", 4, 1.00, 0.90);
        records.add(Usage.of(day, "ops", "dear", "triage", "classify", 1.60).map());
        records.add(Usage.of(day, "ops", "dear", "triage", "classify", 1.60).map());
        scored(records, day, "triage", "classify", "mid", 3, 0.40, 0.88);
        scored(records, day, "triage", "classify", "cheap", 3, 0.05, 0.50);
        // S2, the cheaper model is clearly better: the article's abs(diff) < 0.05 dropped it
        scored(records, day, "extract-wf", "extract", "premium", 3, 0.50, 0.70);
        scored(records, day, "extract-wf", "extract", "budget", 3, 0.10, 0.95);
        // S3, too few samples of the cheap model for minSamples 3
        scored(records, day, "rare", "t", "big", 3, 1.00, 0.90);
        scored(records, day, "rare", "t", "small", 2, 0.10, 0.90);
        // S4, exactly 1.2 times dearer: the ratio must be more than minCostRatio
        scored(records, day, "close", "c", "a", 3, 0.30, 0.90);
        scored(records, day, "close", "c", "b", 3, 0.25, 0.90);
        // S5, enough samples for the defaults (20), which the article's SQL could never run with
        scored(records, "2026-04-12T10:00:00Z", "bulk", "summarize", "gpt-big", 25, 0.02, 0.90);
        scored(records, "2026-04-12T10:00:00Z", "bulk", "summarize", "gpt-small", 20, 0.001, 0.88);
        assertEquals(records.size(), Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", records)), "recordUsageBatch.accepted"));
    }

    private static void scored(List<Map<String, Object>> records, String ts, String workflow, String task, String model,
                               int count, double cost, double quality) {
        for (int i = 0; i < count; i++) {
            records.add(Usage.of(ts, "ops", model, workflow, task, cost).quality(quality, true).map());
        }
    }

    private List<?> opportunities(String from, String to, Map<String, Object> more) {
        Map<String, Object> variables = new HashMap<>(more);
        variables.put("from", from);
        variables.put("to", to);
        return Json.list(graphql.data("substitutionOpportunities", variables), "substitutionOpportunities");
    }

    @Test
    void findsTheCheapestModelThatIsGoodEnoughLargestSavingsFirst() {
        List<?> found = opportunities(FROM, TO, Map.of("minSamples", 3));
        assertEquals(2, found.size(), () -> "found " + found);
        // S1: dear → mid (cheap is cheaper but 0.40 worse); ratio 1.20 / 0.40; savings (1.20 − 0.40) × 6 × 3
        assertOpportunity(found.get(0), "triage", "classify", "dear", "mid", 0.02, 3.0, 14.4, 6, 4, 3);
        // S2: premium → budget although budget scores 0.25 higher; savings (0.50 − 0.10) × 3 × 3
        assertOpportunity(found.get(1), "extract-wf", "extract", "premium", "budget", -0.25, 5.0, 3.6, 3, 3, 3);
    }

    @Test
    void minSamplesDecidesWhichModelsAreCompared() {
        List<?> found = opportunities(FROM, TO, Map.of("minSamples", 2));
        assertEquals(3, found.size(), () -> "found " + found);
        assertEquals("triage", Json.at(found.get(0), "workflow"));
        // S3 now qualifies: savings (1.00 − 0.10) × 3 × 3
        assertOpportunity(found.get(1), "rare", "t", "big", "small", 0.0, 10.0, 8.1, 3, 3, 2);
        assertEquals("extract-wf", Json.at(found.get(2), "workflow"));
    }

    @Test
    void costRatioMustBeExceededAndQualityDiffRespected() {
        List<?> found = opportunities(FROM, TO, Map.of("minSamples", 3, "minCostRatio", 1.19));
        assertEquals(3, found.size(), () -> "found " + found);
        // S4: a → b at 0.30 / 0.25 = 1.2 > 1.19; savings 0.05 × 3 × 3
        assertOpportunity(found.get(2), "close", "c", "a", "b", 0.0, 1.2, 0.45, 3, 3, 3);

        List<?> strict = opportunities(FROM, TO, Map.of("minSamples", 3, "maxQualityDiff", 0.01));
        // mid is 0.02 worse than dear, which is no longer allowed; budget is better, so it still qualifies
        assertEquals(1, strict.size(), () -> "found " + strict);
        assertEquals("premium", Json.at(strict.get(0), "currentModel"));
    }

    @Test
    void savingsAreProjectedFromTheWindowLength() {
        // twice the window with the same calls: half the monthly projection (× 30 / 20 = × 1.5)
        List<?> found = opportunities(FROM, "2026-04-21T00:00:00Z",
                Map.of("minSamples", 3, "filter", Map.of("workflows", List.of("triage", "extract-wf"))));
        assertEquals(2, found.size());
        assertEquals(7.2, Json.number(found.get(0), "estMonthlySavings"), EPS);
        assertEquals(1.8, Json.number(found.get(1), "estMonthlySavings"), EPS);
    }

    @Test
    void defaultsNeedTwentyScoredCallsOfEachModel() {
        List<?> found = opportunities("2026-04-11T00:00:00Z", "2026-04-21T00:00:00Z", Map.of());
        assertEquals(1, found.size());
        // S5: ratio 0.02 / 0.001; savings 0.019 × 25 × 30 / 10
        assertOpportunity(found.get(0), "bulk", "summarize", "gpt-big", "gpt-small", 0.02, 20.0, 1.425, 25, 25, 20);
        assertEquals(List.of(), opportunities(FROM, TO, Map.of()), "S1-S4 have fewer than 20 scored calls a model");
    }

    @Test
    void refusesCriteriaThatMakeNoSense() {
        Map<String, Object> variables = new HashMap<>(Map.of("from", FROM, "to", TO));
        for (var bad : List.of(Map.entry("minSamples", (Object) 0), Map.entry("minCostRatio", 0.5),
                Map.entry("maxQualityDiff", 2.0), Map.entry("confidence", 1.0), Map.entry("confidence", 0.2))) {
            Map<String, Object> v = new HashMap<>(variables);
            v.put(bad.getKey(), bad.getValue());
            GraphQL.onlyError(graphql.run("substitutionOpportunities", v), "BAD_USER_INPUT", bad.getKey());
        }
    }

    private static void assertOpportunity(Object row, String workflow, String task, String current, String better,
                                          double qualityDiff, double costRatio, double savings,
                                          long currentRequests, long currentSamples, long betterSamples) {
        assertEquals(workflow, Json.at(row, "workflow"));
        assertEquals(task, Json.at(row, "taskType"));
        assertEquals(current, Json.at(row, "currentModel"));
        assertEquals(better, Json.at(row, "betterModel"));
        assertEquals(qualityDiff, Json.number(row, "qualityDiff"), EPS);
        assertEquals(costRatio, Json.number(row, "costRatio"), EPS);
        assertEquals(savings, Json.number(row, "estMonthlySavings"), EPS);
        assertEquals(currentRequests, Json.whole(row, "currentRequests"));
        assertEquals(currentSamples, Json.whole(row, "currentSamples"));
        assertEquals(betterSamples, Json.whole(row, "betterSamples"));
    }
}
