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

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Prompt insights over seven calls worked out by hand. On triage / classify, template "tri": version v1 sent
 * 100, 200 and 300 input tokens at $0.01, $0.02, $0.03 with quality 0.9, 0.8, 0.7 and prompts of 400, 800 and
 * 1,200 characters; the later v2 sent 1,000 and 3,000 tokens at $0.10 and $0.30, quality 0.95 and 0.85, prompts
 * of 4,000 and 12,000 characters. Cost is input tokens / 10,000, so r(tokens, cost) = 1; r(tokens, quality)
 * over the five pairs is 0.2053 (Python's statistics.correlation gives 0.20532892229440639). Two calls on
 * docs / summarize sent neither tokens nor a template.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptInsightsTest {
    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    dev.aiusage.store.RollupFolder folder;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(
                call("2026-06-01T10:00:00Z", "v1", 100, 0.01, 0.9, 400),
                call("2026-06-01T11:00:00Z", "v1", 200, 0.02, 0.8, 800),
                call("2026-06-02T10:00:00Z", "v1", 300, 0.03, 0.7, 1200),
                call("2026-06-05T10:00:00Z", "v2", 1000, 0.10, 0.95, 4000),
                call("2026-06-06T10:00:00Z", "v2", 3000, 0.30, 0.85, 12000),
                Usage.of("2026-06-03T10:00:00Z", "ops", "m", "docs", "summarize", 0.05).map(),
                Usage.of("2026-06-04T10:00:00Z", "ops", "m", "docs", "summarize", 0.07).map())));
    }

    private static Map<String, Object> call(String ts, String version, int tokens, double cost, double quality, int chars) {
        return Usage.of(ts, "ops", "m", "triage", "classify", cost).tokens(tokens, 10).quality(quality, null)
                .set("promptTemplate", Map.of("name", "tri", "version", version)).set("promptChars", chars).map();
    }

    @Test
    void bandsCorrelationsAndVersionChanges() {
        Map<String, Object> data = graphql.data("promptInsights", Map.of("from", "2026-06-01T00:00:00Z", "to", "2026-06-08T00:00:00Z"));
        List<?> groups = Json.list(data, "promptInsights.groups");
        assertEquals(List.of("docs/summarize/null", "triage/classify/tri"),
                groups.stream().map(g -> Json.at(g, "workflow") + "/" + Json.at(g, "taskType") + "/" + Json.at(g, "template")).toList());

        Object docs = groups.get(0);
        assertEquals(List.of(Map.of("band", "input tokens not sent", "calls", 2, "avgCost", 0.06, "scoredCalls", 0)),
                Json.list(docs, "bands").stream().map(b -> withoutNull((Map<?, ?>) b)).toList());
        assertNull(Json.at(docs, "tokensCostCorrelation"));
        assertEquals(0, Json.whole(docs, "tokensCostSamples"));

        Object tri = groups.get(1);
        assertEquals(5, Json.whole(tri, "calls"));
        // band calls avgCost scoredCalls avgQuality
        assertEquals(List.of("0-499 tokens 3 0.02 3 0.8", "500-1,999 tokens 1 0.1 1 0.95", "2,000-7,999 tokens 1 0.3 1 0.85"),
                Json.list(tri, "bands").stream().map(b -> Json.at(b, "band") + " " + Json.at(b, "calls") + " "
                        + round(Json.number(b, "avgCost")) + " " + Json.at(b, "scoredCalls") + " " + round(Json.number(b, "avgQuality"))).toList());
        assertEquals(1.0, Json.number(tri, "tokensCostCorrelation"), 1e-9);
        assertEquals(0.20532892229440639, Json.number(tri, "tokensQualityCorrelation"), 1e-9);
        assertEquals(5, Json.whole(tri, "tokensQualitySamples"));

        List<?> changes = Json.list(data, "promptInsights.templateChanges");
        assertEquals(1, changes.size());
        Object change = changes.get(0);
        assertEquals("v1", Json.at(change, "fromVersion.version"));
        assertEquals("v2", Json.at(change, "toVersion.version"));
        assertEquals(3, Json.whole(change, "fromVersion.scoredCalls"));
        assertEquals(800.0, Json.number(change, "fromVersion.avgPromptChars"), 1e-9);
        assertEquals(8000.0, Json.number(change, "toVersion.avgPromptChars"), 1e-9);
        assertEquals("2026-06-05T10:00:00.000Z", Json.at(change, "toVersion.firstSeen"));
        assertEquals(0.1, Json.number(change, "qualityChange"), 1e-9);
        assertEquals(0.18, Json.number(change, "costChange"), 1e-9);
        assertEquals(9.0, Json.number(change, "costChangeShare"), 1e-9);
    }

    /**
     * The prompt rollup's answer (a team filter, which it keeps) against the scan of the records (a provider filter,
     * which it does not keep, over the same calls), for whole days and for edges that fall mid-hour: from 10:30 on
     * June 1 the 10:00 call (v1, 100 tokens) is left out, so tri has 4 calls, v1 2 of them.
     */
    @Test
    void theRollupAnswersAsTheScanOfTheRecords() {
        for (List<String> window : List.of(List.of("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z"),
                List.of("2026-06-01T10:30:00Z", "2026-06-06T10:30:00Z"))) {
            Map<String, Object> rollup = graphql.data("promptInsights", Map.of("from", window.get(0), "to", window.get(1),
                    "filter", Map.of("teams", List.of("ops"))));
            Map<String, Object> scan = graphql.data("promptInsights", Map.of("from", window.get(0), "to", window.get(1),
                    "filter", Map.of("providers", List.of("test-provider"))));
            assertEquals(rounded(scan), rounded(rollup), window.toString());
        }
        Map<String, Object> edges = graphql.data("promptInsights", Map.of("from", "2026-06-01T10:30:00Z", "to", "2026-06-06T10:30:00Z"));
        Object tri = Json.list(edges, "promptInsights.groups").get(1);
        assertEquals(4, Json.whole(tri, "calls"));
        assertEquals(2, Json.whole(Json.list(edges, "promptInsights.templateChanges").get(0), "fromVersion.calls"));
        assertEquals("2026-06-01T11:00:00.000Z", Json.at(Json.list(edges, "promptInsights.templateChanges").get(0), "fromVersion.firstSeen"));
    }

    /**
     * Calls folded after the prompt figures were first read count at once, on whole days and on a window's partial
     * first day: in July, which the other tests do not read, three v1 calls on triage at 10:00 and 12:00 on July 1
     * and 12:00 on July 3 (300 tokens, $0.03, quality 0.7 each) make tri 3 calls from July 1 and 2 from 10:30 that day.
     */
    @Test
    void callsFoldedAfterTheFirstReadCount() {
        Map<String, Object> whole = Map.of("from", "2026-07-01T00:00:00Z", "to", "2026-07-08T00:00:00Z");
        Map<String, Object> edge = Map.of("from", "2026-07-01T10:30:00Z", "to", "2026-07-08T00:00:00Z");
        assertEquals(indexState(), graphql.awaitIndexes().get("prompt"));
        assertEquals(List.of(), Json.list(graphql.data("promptInsights", whole), "promptInsights.groups"));
        assertEquals(List.of(), Json.list(graphql.data("promptInsights", edge), "promptInsights.groups"));
        List<Map<String, Object>> july = List.of(call("2026-07-01T10:00:00Z", "v1", 300, 0.03, 0.7, 1200),
                call("2026-07-01T12:00:00Z", "v1", 300, 0.03, 0.7, 1200), call("2026-07-03T12:00:00Z", "v1", 300, 0.03, 0.7, 1200));
        assertEquals(3, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", july)), "recordUsageBatch.accepted"));
        folder.foldAll();
        assertEquals(3, Json.whole(Json.list(graphql.data("promptInsights", whole), "promptInsights.groups").get(0), "calls"));
        Object tri = Json.list(graphql.data("promptInsights", edge), "promptInsights.groups").get(0);
        assertEquals(2, Json.whole(tri, "calls"));
        // band calls avgCost scoredCalls avgQuality
        assertEquals(List.of("0-499 tokens 2 0.03 2 0.7"), Json.list(tri, "bands").stream().map(b -> Json.at(b, "band") + " "
                + Json.at(b, "calls") + " " + round(Json.number(b, "avgCost")) + " " + Json.at(b, "scoredCalls") + " "
                + round(Json.number(b, "avgQuality"))).toList());
    }

    /** What the prompt index is once loaded: it answers. */
    String indexState() {
        return "READY";
    }

    /** Every number to 9 significant digits: sums of doubles in another order differ in the last ones. */
    private static Object rounded(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(k, rounded(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PromptInsightsTest::rounded).toList();
        }
        if (value instanceof Number n) {
            return new java.math.BigDecimal(n.doubleValue()).round(new java.math.MathContext(9)).stripTrailingZeros();
        }
        return value;
    }

    @Test
    void aRecordShowsItsTemplateAndPromptLength() {
        Map<String, Object> data = graphql.data("usageRecords", Map.of("from", "2026-06-01T00:00:00Z", "to", "2026-06-08T00:00:00Z",
                "first", 1, "filter", Map.of("workflows", List.of("triage"))));
        assertEquals(Map.of("name", "tri", "version", "v2"), Json.at(data, "usageRecords.edges[0].node.promptTemplate"));
        assertEquals(12000, Json.whole(data, "usageRecords.edges[0].node.promptChars"));
    }

    @Test
    void aTemplateWithoutAVersionIsRefusedWithTheFieldNamed() {
        Map<String, Object> bad = Usage.of(null, "ops", "m", "triage", "classify", 0.01)
                .set("promptTemplate", Map.of("name", "tri", "version", " ")).map();
        Map<String, Object> result = graphql.data("recordUsageBatch", Map.of("inputs", List.of(bad)));
        assertEquals("promptTemplate.version", Json.at(result, "recordUsageBatch.rejected[0].field"));
        Map<String, Object> negative = Usage.of(null, "ops", "m", "triage", "classify", 0.01).set("promptChars", -1).map();
        assertEquals("promptChars", Json.at(graphql.data("recordUsageBatch", Map.of("inputs", List.of(negative))), "recordUsageBatch.rejected[0].field"));
    }

    private static double round(double value) {
        return Math.round(value * 1e9) / 1e9;
    }

    private static Map<?, ?> withoutNull(Map<?, ?> map) {
        Map<Object, Object> copy = new java.util.HashMap<>(map);
        copy.values().removeIf(v -> v == null);
        return copy;
    }
}
