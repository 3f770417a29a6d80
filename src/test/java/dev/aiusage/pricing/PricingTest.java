package dev.aiusage.pricing;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The price catalog through the API: shipped prices against genai-prices' own figures, every component of a price,
 * long-context tiers, dated prices, service tiers, custom prices over shipped ones, calls without a price counted,
 * listed and repriced with exact rollups, and a reported cost beside the catalog's.
 */
@MicronautTest(transactional = false)
class PricingTest {
    private static final String QUOTE = """
            query Q($call: PriceQuoteInput!) { priceQuote(call: $call) {
              priced costUsd priceRef factor reason
              parts { uncachedInput cacheRead cacheWrite output reasoning requestFee }
              price { id origin provider model serviceTier effectiveFrom effectiveTo rates { input output } } } }""";
    private static final String RECORDS = """
            query R($filter: UsageFilter) { usageRecords(from: "2020-01-01T00:00:00Z", filter: $filter, first: 100) {
              edges { node { ts model costUsd costSource catalogCostUsd priceRef serviceTier
                inputTokens cacheReadTokens cacheWriteTokens cacheWrite1hTokens outputTokens reasoningTokens } } } }""";
    private static final String SET_PRICE = """
            mutation S($input: CustomPriceInput!) { setCustomPrice(input: $input) { id origin provider model aliases pattern priority
              effectiveFrom effectiveTo serviceTier rates { input cacheRead cacheWrite cacheWrite1h output reasoning perRequest }
              longContext { aboveInputTokens rates { input output perRequest } } note } }""";
    private static final String COST_BY_TEAM = """
            query C($from: DateTime, $to: DateTime, $filter: UsageFilter) { costByTeam(from: $from, to: $to, filter: $filter) { team totalCost requests unpricedRequests } }""";

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
    }

    private Map<String, Object> quote(Map<String, Object> call) {
        return (Map<String, Object>) Json.at(graphql.inlineData(QUOTE, Map.of("call", call)), "priceQuote");
    }

    private static Map<String, Object> call(String provider, String model, String ts, Object... tokens) {
        Map<String, Object> call = new HashMap<>(Map.of("provider", provider, "model", model, "ts", ts));
        for (int i = 0; i < tokens.length; i += 2) {
            call.put((String) tokens[i], tokens[i + 1]);
        }
        return call;
    }

    private List<?> records(String team) {
        return Json.list(graphql.inlineData(RECORDS, Map.of("filter", Map.of("teams", List.of(team)))), "usageRecords.edges");
    }

    private void record(Map<String, Object> input) {
        Map<String, Object> data = graphql.data("recordUsage", Map.of("input", input));
        assertEquals(1, Json.whole(data, "recordUsage.accepted"), () -> "not accepted: " + data);
    }

    private Map<String, Object> setPrice(Map<String, Object> input) {
        return (Map<String, Object>) Json.at(graphql.inlineData(SET_PRICE, Map.of("input", input)), "setCustomPrice");
    }

    /**
     * Calls of well-known models priced by the shipped catalog, against the figures genai-prices' own calculator
     * gives for the same calls from the same data.json (commit 47df840, 2026-08-21): {@code calcPrice(usage, model,
     * {providerId, timestamp})} of {@code @pydantic/genai-prices} 0.1.8 under Node, its binary-float noise rounded
     * off (it gave 0.029400000000000003 for the first). Columns: provider, model, ts, input, of them cache reads,
     * cache writes, one-hour writes, output, of it reasoning, the total, and the shipped model id it resolved to.
     */
    @ParameterizedTest
    @CsvSource({
            // cache read 0.3, write 3.75, input 3, output 15: 2000×3 + 8000×0.3 + 2000×3.75 + 900×15 per million
            "anthropic, claude-sonnet-4-5, 2026-10-01T00:00:00Z, 12000, 8000, 2000, 0, 900, 0, 0.0294, claude-sonnet-4-5",
            // past 200K input the whole call takes the tier: 150000×6 + 100000×0.6 + 4000×22.5
            "anthropic, claude-sonnet-4-5, 2026-10-01T00:00:00Z, 250000, 100000, 0, 0, 4000, 0, 1.05, claude-sonnet-4-5",
            // before 2026-03-13, the tiered list: 200000×10 + 30000×12.5 + 20000×20 (one-hour) + 1000×37.5
            "anthropic, claude-opus-4-6, 2026-02-01T00:00:00Z, 250000, 0, 50000, 20000, 1000, 0, 2.8125, claude-opus-4-6",
            "anthropic, claude-sonnet-5, 2026-08-31T23:59:59Z, 1000000, 0, 0, 0, 100000, 0, 3, claude-sonnet-5",
            "anthropic, claude-sonnet-5, 2026-09-01T00:00:00Z, 1000000, 0, 0, 0, 100000, 0, 4.5, claude-sonnet-5",
            "openai, gpt-4o, 2026-10-01T00:00:00Z, 5000, 3000, 0, 0, 700, 0, 0.01575, gpt-4o",
            "openai, gpt-4o-mini, 2026-10-01T00:00:00Z, 100000, 0, 0, 0, 20000, 0, 0.027, gpt-4o-mini",
            // o3's price was cut on 2025-06-10; reasoning is output at the output price
            "openai, o3, 2025-06-09T12:00:00Z, 10000, 0, 0, 0, 5000, 4000, 0.3, o3",
            "openai, o3, 2025-06-10T00:00:00Z, 10000, 0, 0, 0, 5000, 4000, 0.06, o3",
            "google, gemini-2.5-pro, 2026-10-01T00:00:00Z, 300000, 50000, 0, 0, 2000, 0, 0.6675, gemini-2.5-pro",
            "google, gemini-2.5-flash, 2026-10-01T00:00:00Z, 40000, 0, 0, 0, 3000, 0, 0.0195, gemini-2.5-flash",
            "openai, gpt-5.6-luna, 2026-08-01T00:00:00Z, 300000, 200000, 0, 0, 10000, 0, 0.066, gpt-5.6-luna",
            "mistral, mistral-large-latest, 2026-10-01T00:00:00Z, 20000, 0, 0, 0, 1500, 0, 0.049, mistral-large",
            "deepseek, deepseek-chat, 2026-10-01T00:00:00Z, 30000, 10000, 0, 0, 2500, 0, 0.004425, deepseek-chat"
    })
    void shippedPricesGiveGenaiPricesOwnFigures(String provider, String model, String ts, int input, int cacheRead, int cacheWrite,
                                                int cacheWrite1h, int output, int reasoning, double total, String shippedId) {
        Map<String, Object> quote = quote(call(provider, model, ts, "inputTokens", input, "cacheReadTokens", cacheRead,
                "cacheWriteTokens", cacheWrite, "cacheWrite1hTokens", cacheWrite1h, "outputTokens", output, "reasoningTokens", reasoning));
        assertEquals(true, quote.get("priced"), () -> "unpriced: " + quote);
        assertEquals(total, Json.number(quote, "costUsd"), 1e-12, () -> "quote " + quote);
        assertEquals("SHIPPED", Json.at(quote, "price.origin"));
        assertEquals(shippedId, Json.at(quote, "price.model"));
        assertEquals(1.0, Json.number(quote, "factor"));
    }

    /**
     * Every component of a price and a long-context tier, worked by hand. Prices per million: input 2, cache read 0.5,
     * cache write 2.5, one-hour write 4, output 8, reasoning 12, and 0.001 per call; above 100,000 input tokens 4, 1,
     * 5, 8, 16, 24 and 0.002. A call of 10,000 input (4,000 cache reads, 3,000 cache writes of which 1,000 for an
     * hour) and 2,000 output (500 reasoning): uncached 3,000 × 2 = 0.006, reads 4,000 × 0.5 = 0.002, writes 2,000 ×
     * 2.5 + 1,000 × 4 = 0.009, output 1,500 × 8 = 0.012, reasoning 500 × 12 = 0.006, fee 0.001: 0.036. With 150,000
     * input: uncached 143,000 × 4 = 0.572, reads 0.004, writes 0.01 + 0.008 = 0.018, output 0.024, reasoning 0.012,
     * fee 0.002: 0.632. At exactly 100,000 input the base prices hold (the tier is for calls above it): uncached
     * 93,000 × 2 = 0.186, + 0.002 + 0.009 + 0.012 + 0.006 + 0.001 = 0.216.
     */
    @Test
    void pricesEveryComponentAndALongContextTier() {
        Map<String, Object> price = setPrice(Map.of("provider", "acme", "model", "acme-1", "aliases", List.of("acme-1-latest"),
                "effectiveFrom", "2026-01-01T00:00:00Z",
                "rates", Map.of("input", 2, "cacheRead", 0.5, "cacheWrite", 2.5, "cacheWrite1h", 4, "output", 8, "reasoning", 12, "perRequest", 0.001),
                "longContext", List.of(Map.of("aboveInputTokens", 100000, "rates",
                        Map.of("input", 4, "cacheRead", 1, "cacheWrite", 5, "cacheWrite1h", 8, "output", 16, "reasoning", 24, "perRequest", 0.002))),
                "note", "contract 2026"));
        String id = (String) price.get("id");
        assertTrue(id.startsWith("custom:"), id);
        assertEquals("CUSTOM", price.get("origin"));
        assertEquals(List.of("acme-1-latest"), price.get("aliases"));
        assertEquals(0.001, Json.number(price, "rates.perRequest"));
        assertEquals(100000, Json.whole(price, "longContext[0].aboveInputTokens"));

        Object[] parts = {"cacheReadTokens", 4000, "cacheWriteTokens", 3000, "cacheWrite1hTokens", 1000, "outputTokens", 2000, "reasoningTokens", 500};
        Map<String, Object> base = quote(withInput(call("acme", "acme-1", "2026-06-01T00:00:00Z", parts), 10000));
        assertEquals(0.036, Json.number(base, "costUsd"), 1e-12);
        assertEquals(Map.of("uncachedInput", 0.006, "cacheRead", 0.002, "cacheWrite", 0.009, "output", 0.012, "reasoning", 0.006,
                "requestFee", 0.001), base.get("parts"));
        assertEquals(id, base.get("priceRef"));
        assertEquals(0.632, Json.number(quote(withInput(call("acme", "ACME-1-Latest", "2026-06-01T00:00:00Z", parts), 150000)), "costUsd"), 1e-12);
        assertEquals(0.216, Json.number(quote(withInput(call("acme", "acme-1", "2026-06-01T00:00:00Z", parts), 100000)), "costUsd"), 1e-12);
        // before the price's start nothing prices the model
        Map<String, Object> before = quote(withInput(call("acme", "acme-1", "2025-12-31T23:59:59Z", parts), 10000));
        assertEquals(false, before.get("priced"));
        assertNull(before.get("costUsd"));

        // stored without costUsd: the catalog's cost, its source and the price it used
        Map<String, Object> input = Usage.of("2026-06-01T00:00:00Z", "components", "acme-1", "w", "t", 0).set("costUsd", null)
                .set("provider", "acme").set("inputTokens", 10000).set("cacheReadTokens", 4000).set("cacheWriteTokens", 3000)
                .set("cacheWrite1hTokens", 1000).set("outputTokens", 2000).set("reasoningTokens", 500).map();
        record(input);
        Object node = Json.at(records("components").get(0), "node");
        assertEquals(0.036, Json.number(node, "costUsd"), 1e-12);
        assertEquals("CATALOG", Json.at(node, "costSource"));
        assertEquals(0.036, Json.number(node, "catalogCostUsd"), 1e-12);
        assertEquals(id, Json.at(node, "priceRef"));
        assertEquals("STANDARD", Json.at(node, "serviceTier"));
        assertEquals(List.of(10000, 4000, 3000, 1000, 2000, 500), List.of(Json.at(node, "inputTokens"), Json.at(node, "cacheReadTokens"),
                Json.at(node, "cacheWriteTokens"), Json.at(node, "cacheWrite1hTokens"), Json.at(node, "outputTokens"), Json.at(node, "reasoningTokens")));

        // the breakdown by workflow and model shows the tokens by kind and the cache hit rate, 4,000 / 10,000
        Map<String, Object> usage = graphql.post("""
                { usage(from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z", filter: {teams: ["components"]}, groupBy: [WORKFLOW, MODEL]) {
                  rows { workflow model measures { inputTokens cacheReadTokens cacheWriteTokens uncachedInputTokens outputTokens
                    reasoningTokens visibleOutputTokens cacheHitRate unpricedRequests cost
                    costByKind { uncachedInput cacheRead cacheWrite output reasoning other } } } } }""", Map.of());
        Map<String, Object> measures = new HashMap<>(Map.of("inputTokens", 10000, "cacheReadTokens", 4000,
                "cacheWriteTokens", 3000, "uncachedInputTokens", 3000, "outputTokens", 2000, "reasoningTokens", 500, "visibleOutputTokens", 1500,
                "cacheHitRate", 0.4, "unpricedRequests", 0, "cost", 0.036));
        // the fee is what the kinds leave
        measures.put("costByKind", Map.of("uncachedInput", 0.006, "cacheRead", 0.002, "cacheWrite", 0.009, "output", 0.012, "reasoning", 0.006,
                "other", 0.001));
        assertEquals(List.of(Map.of("workflow", "w", "model", "acme-1", "measures", measures)), Json.at(usage, "data.usage.rows"));
    }

    private static Map<String, Object> withInput(Map<String, Object> call, int input) {
        call.put("inputTokens", input);
        return call;
    }

    /**
     * claude-sonnet-5's price rose on 2026-09-01 (input 2 → 3, output 10 → 15 per million): a window across the change
     * sums each call at the price of its own moment: 1M in and 100K out cost 2 + 1 = 3 before, 3 + 1.5 = 4.5 after.
     */
    @Test
    void aPriceChangeInTheMiddleOfTheWindowPricesEachCallAtItsMoment() {
        for (String ts : List.of("2026-08-31T23:59:59.999Z", "2026-09-01T00:00:00Z")) {
            record(Usage.of(ts, "midwindow", "claude-sonnet-5", "w", "t", 0).set("costUsd", null).set("provider", "anthropic")
                    .tokens(1_000_000, 100_000).map());
        }
        List<?> edges = records("midwindow");
        // newest first
        assertEquals(4.5, Json.number(edges.get(0), "node.costUsd"));
        assertEquals("anthropic/claude-sonnet-5@2026-09-01", Json.at(edges.get(0), "node.priceRef"));
        assertEquals(3.0, Json.number(edges.get(1), "node.costUsd"));
        assertEquals("anthropic/claude-sonnet-5", Json.at(edges.get(1), "node.priceRef"));
        Map<String, Object> data = graphql.data("costByTeam", Map.of("from", "2026-08-31T00:00:00Z", "to", "2026-09-02T00:00:00Z",
                "filter", Map.of("teams", List.of("midwindow"))));
        assertEquals(7.5, Json.number(data, "costByTeam[0].totalCost"));
    }

    /**
     * A batch call of claude-sonnet-4-5 (no batch price of its own in the catalog) takes Anthropic's documented batch
     * factor 0.5 on the standard price: 100K in, 10K out is (0.3 + 0.15) × 0.5 = 0.225; its ref says so. A priority call
     * has neither a price nor a factor: unpriced, never billed at the standard rate.
     */
    @Test
    void aBatchCallTakesTheTiersFactorAndAPriorityCallIsUnpriced() {
        Map<String, Object> batch = quote(call("anthropic", "claude-sonnet-4-5", "2026-10-01T00:00:00Z", "inputTokens", 100_000,
                "outputTokens", 10_000, "serviceTier", "BATCH"));
        assertEquals(0.225, Json.number(batch, "costUsd"), 1e-12);
        assertEquals(0.5, Json.number(batch, "factor"));
        assertEquals("anthropic/claude-sonnet-4-5*0.5", batch.get("priceRef"));
        Map<String, Object> priority = quote(call("anthropic", "claude-sonnet-4-5", "2026-10-01T00:00:00Z", "inputTokens", 1_000_000,
                "outputTokens", 100_000, "serviceTier", "PRIORITY"));
        assertEquals(false, priority.get("priced"));
        assertEquals("no price for service tier priority", priority.get("reason"));

        record(Usage.of("2026-10-01T00:00:00Z", "batch", "claude-sonnet-4-5", "w", "t", 0).set("costUsd", null).set("provider", "anthropic")
                .tokens(100_000, 10_000).set("serviceTier", "BATCH").map());
        Object node = Json.at(records("batch").get(0), "node");
        assertEquals(0.225, Json.number(node, "costUsd"));
        assertEquals("BATCH", Json.at(node, "serviceTier"));
    }

    /**
     * A contract price for gpt-4o from 2026-06-01 (input 2, output 8) wins over the shipped one (2.5 and 10) from its
     * start: 5,000 in and 700 out cost 0.01 + 0.0056 = 0.0156 after it, 0.0125 + 0.007 = 0.0195 before. Deleted, the
     * shipped price is back.
     */
    @Test
    void aCustomPriceWinsOverTheShippedOneFromItsStart() {
        Map<String, Object> price = setPrice(Map.of("provider", "OpenAI", "model", "gpt-4o", "effectiveFrom", "2026-06-01T00:00:00Z",
                "rates", Map.of("input", 2, "output", 8)));
        Map<String, Object> after = quote(call("openai", "gpt-4o", "2026-07-01T00:00:00Z", "inputTokens", 5000, "outputTokens", 700));
        assertEquals(0.0156, Json.number(after, "costUsd"), 1e-12);
        assertEquals("CUSTOM", Json.at(after, "price.origin"));
        Map<String, Object> before = quote(call("openai", "gpt-4o", "2026-05-31T23:59:59Z", "inputTokens", 5000, "outputTokens", 700));
        assertEquals(0.0195, Json.number(before, "costUsd"), 1e-12);
        assertEquals("SHIPPED", Json.at(before, "price.origin"));

        Map<String, Object> listed = graphql.post("query { prices(provider: \"openai\", model: \"gpt-4o\") { id origin } }", Map.of());
        List<?> prices = Json.list(listed, "data.prices");
        assertEquals(price.get("id"), Json.at(prices.get(0), "id"), "the custom price is tried first");
        assertEquals("SHIPPED", Json.at(prices.get(prices.size() - 1), "origin"));

        Map<String, Object> deleted = graphql.post("mutation D($id: ID!) { deleteCustomPrice(id: $id) }", Map.of("id", price.get("id")));
        assertEquals(true, Json.at(deleted, "data.deleteCustomPrice"));
        assertEquals(0.0195, Json.number(quote(call("openai", "gpt-4o", "2026-07-01T00:00:00Z", "inputTokens", 5000, "outputTokens", 700)),
                "costUsd"), 1e-12);
        assertEquals(false, Json.at(graphql.post("mutation D($id: ID!) { deleteCustomPrice(id: $id) }", Map.of("id", price.get("id"))),
                "data.deleteCustomPrice"));
    }

    /**
     * A model nobody prices yet is stored UNPRICED at cost 0, never silently: counted by costByTeam, listed by
     * unpricedUsage with its calls, tokens and first and last call. Once a price is set, repriceUsage prices those
     * calls and the rollups follow exactly: the answers are the same as after a rebuild from the raw records.
     * Three calls of newco-9 (1,000 in + 100 out each) with the price input 1, output 5: 0.001 + 0.0005 = 0.0015 each.
     */
    @Test
    void anUnpricedModelIsCountedListedAndRepricedExactly() {
        for (String ts : List.of("2026-11-02T08:00:00Z", "2026-11-03T09:30:00Z", "2026-11-05T17:45:00Z")) {
            record(Usage.of(ts, "newco-users", "newco-9", "w", "t", 0).set("costUsd", null).set("provider", "newco").tokens(1000, 100).map());
        }
        record(Usage.of("2026-11-04T00:00:00Z", "newco-users", "gpt-4o", "w", "t", 0.25).set("provider", "openai").tokens(10, 10).map());
        Map<String, Object> window = Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-08T00:00:00Z",
                "filter", Map.of("teams", List.of("newco-users")));
        Map<String, Object> cost = graphql.post(COST_BY_TEAM, window);
        assertEquals(List.of(Map.of("team", "newco-users", "totalCost", 0.25, "requests", 4, "unpricedRequests", 3)),
                Json.at(cost, "data.costByTeam"));
        Map<String, Object> unpriced = graphql.post("""
                query U($from: DateTime, $to: DateTime, $filter: UsageFilter) { unpricedUsage(from: $from, to: $to, filter: $filter) { provider model calls tokens firstSeen lastSeen } }""",
                window);
        assertEquals(List.of(Map.of("provider", "newco", "model", "newco-9", "calls", 3, "tokens", 3300,
                "firstSeen", "2026-11-02T08:00:00.000Z", "lastSeen", "2026-11-05T17:45:00.000Z")), Json.at(unpriced, "data.unpricedUsage"));
        assertEquals("UNPRICED", Json.at(records("newco-users").get(0), "node.costSource"));
        assertEquals(0.0, Json.number(records("newco-users").get(0), "node.costUsd"));

        Map<String, Object> trend = graphql.post("""
                query T($from: DateTime, $to: DateTime, $filter: UsageFilter) { dailyTrend(from: $from, to: $to, filter: $filter) {
                  day requests unpricedRequests } }""", window);
        assertEquals(List.of(1, 1, 0, 1), Json.list(trend, "data.dailyTrend").subList(1, 5).stream()
                .map(d -> ((Number) Json.at(d, "unpricedRequests")).intValue()).toList(), () -> "trend " + trend);
        // the weekly report says so, beside its sums (the week holds no other test's calls)
        String markdown = (String) Json.at(graphql.post("{ weeklyReport(weekEnding: \"2026-11-08T00:00:00Z\") { markdown } }", Map.of()),
                "data.weeklyReport.markdown");
        assertTrue(markdown.contains("**3 calls had no price** and count $0 here"), markdown);
        setPrice(Map.of("provider", "newco", "model", "newco-9", "effectiveFrom", "2026-01-01T00:00:00Z", "rates", Map.of("input", 1, "output", 5)));
        Map<String, Object> repriced = graphql.post("""
                mutation { repriceUsage(from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:00Z") { examined changed stillUnpriced costBefore costAfter } }""",
                Map.of());
        assertEquals(Map.of("examined", 4, "changed", 3, "stillUnpriced", 0, "costBefore", 0.25, "costAfter", 0.2545),
                Json.at(repriced, "data.repriceUsage"));
        Map<String, Object> expected = Map.of("team", "newco-users", "totalCost", 0.2545, "requests", 4, "unpricedRequests", 0);
        assertEquals(List.of(expected), Json.at(graphql.post(COST_BY_TEAM, window), "data.costByTeam"));
        assertEquals(List.of(), Json.at(graphql.post("""
                query U($from: DateTime, $to: DateTime, $filter: UsageFilter) { unpricedUsage(from: $from, to: $to, filter: $filter) { model } }""", window), "data.unpricedUsage"));
        String breakdown = """
                query B($from: DateTime, $to: DateTime, $filter: UsageFilter) { usage(from: $from, to: $to, filter: $filter, groupBy: [MODEL], bucket: HOUR) {
                  rows { bucketStart model measures { cost requests costByKind { uncachedInput output other } } }
                  total { cost requests costByKind { uncachedInput output other } } } }""";
        Object byHour = Json.at(graphql.post(breakdown, window), "data.usage");
        // by kind: newco-9's input 3 × 1,000 × 1 per million = 0.003, output 3 × 100 × 5 = 0.0015; the gpt-4o call's reported
        // 0.25 split as its catalog price 10 × 2.5 + 10 × 10 per million = 0.000025 + 0.0001: 0.05 input, 0.2 output
        assertEquals(Map.of("uncachedInput", 0.053, "output", 0.2015, "other", 0.0), Json.at(byHour, "total.costByKind"));
        // the same answers from rollups computed afresh from the repriced records
        graphql.data("rebuildRollups", Map.of());
        assertEquals(List.of(expected), Json.at(graphql.post(COST_BY_TEAM, window), "data.costByTeam"));
        assertEquals(byHour, Json.at(graphql.post(breakdown, window), "data.usage"));
        Object node = Json.at(records("newco-users").get(0), "node");
        assertEquals(0.0015, Json.number(node, "costUsd"), 1e-12);
        assertEquals("CATALOG", Json.at(node, "costSource"));
    }

    /** A reported cost is stored as sent, with the catalog's figure and price beside it: gpt-4o at 0.01575 by the catalog. */
    @Test
    void aReportedCostKeepsTheCatalogFigureBesideIt() {
        record(Usage.of("2026-10-01T00:00:00Z", "reported", "gpt-4o", "w", "t", 0.05).set("provider", "openai").tokens(5000, 700)
                .set("cacheReadTokens", 3000).map());
        Object node = Json.at(records("reported").get(0), "node");
        assertEquals(0.05, Json.number(node, "costUsd"));
        assertEquals("REPORTED", Json.at(node, "costSource"));
        assertEquals(0.01575, Json.number(node, "catalogCostUsd"), 1e-12);
        assertEquals("openai/gpt-4o", Json.at(node, "priceRef"));
        // by kind, the reported 0.05 in the catalog's proportions (uncached 0.005, reads 0.00375, output 0.007 of 0.01575),
        // each × 0.05 / 0.01575 and rounded to 10 places: 0.0158730159 + 0.0119047619 + 0.0222222222 = 0.05
        Map<String, Object> usage = graphql.post("""
                { usage(from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z", filter: {teams: ["reported"]}) {
                  total { costByKind { uncachedInput cacheRead cacheWrite output reasoning other } } } }""", Map.of());
        assertEquals(Map.of("uncachedInput", 0.0158730159, "cacheRead", 0.0119047619, "cacheWrite", 0.0, "output", 0.0222222222,
                "reasoning", 0.0, "other", 0.0), Json.at(usage, "data.usage.total.costByKind"));
    }

    /**
     * Token parts that do not fit their whole, and a call with neither a cost nor tokens to price it from, are refused
     * naming the field, in a batch by index beside a stored neighbour; nothing of them is stored.
     */
    @Test
    void inconsistentTokenBreakdownsAreRefusedPerItem() {
        List<Map<String, Object>> cases = List.of(
                Map.of("inputTokens", 100, "cacheReadTokens", 101, "field", "cacheReadTokens"),
                Map.of("cacheReadTokens", 5, "outputTokens", 5, "field", "cacheReadTokens"),
                Map.of("inputTokens", 100, "cacheReadTokens", 60, "cacheWriteTokens", 50, "field", "cacheWriteTokens"),
                Map.of("inputTokens", 100, "cacheWriteTokens", 10, "cacheWrite1hTokens", 11, "field", "cacheWrite1hTokens"),
                Map.of("inputTokens", 100, "cacheWrite1hTokens", 1, "field", "cacheWrite1hTokens"),
                Map.of("outputTokens", 10, "reasoningTokens", 11, "field", "reasoningTokens"),
                Map.of("outputTokens", 10, "reasoningTokens", -1, "field", "reasoningTokens"),
                Map.of("field", "costUsd"));
        for (Map<String, Object> bad : cases) {
            Usage usage = Usage.of("2026-10-01T00:00:00Z", "parts", "gpt-4o", "w", "t", 0).set("costUsd", null).set("provider", "openai");
            bad.forEach((k, v) -> {
                if (!k.equals("field")) {
                    usage.set(k, v);
                }
            });
            Map<String, Object> input = usage.map();
            Map<String, Object> response = graphql.run("recordUsage", Map.of("input", input));
            GraphQL.onlyError(response, "BAD_USER_INPUT", (String) bad.get("field"));
            Map<String, Object> good = Usage.of("2026-10-01T00:00:00Z", "parts", "gpt-4o", "w", "t", 0.5).map();
            Map<String, Object> batch = graphql.data("recordUsageBatch", Map.of("inputs", List.of(good, input)));
            assertEquals(1, Json.whole(batch, "recordUsageBatch.accepted"));
            assertEquals(bad.get("field"), Json.at(batch, "recordUsageBatch.rejected[0].field"), () -> "case " + bad);
        }
        assertEquals(cases.size(), records("parts").size(), "only the good neighbours are stored");
    }

    /** Custom prices, repricing ranges and ids at fault are refused naming the field, and change nothing. */
    @Test
    void badPricesAndRangesAreRefusedNamingTheField() {
        Map<String, Object> ok = Map.of("provider", "acme", "model", "acme-x", "effectiveFrom", "2026-01-01T00:00:00Z", "rates", Map.of("input", 1));
        List<Map<String, Object>> cases = List.of(
                Map.of("rates", Map.of(), "field", "rates"),
                Map.of("rates", Map.of("input", -1), "field", "rates.input"),
                Map.of("rates", Map.of("output", 2e6), "field", "rates.output"),
                Map.of("rates", Map.of("output", 0.00000000001), "field", "rates.output"),
                Map.of("pattern", "(", "field", "pattern"),
                // backtracks without end on a long name
                Map.of("pattern", "(.*a){12}", "field", "pattern"),
                Map.of("provider", " ", "field", "provider"),
                Map.of("effectiveTo", "2025-01-01T00:00:00Z", "field", "effectiveTo"),
                Map.of("longContext", List.of(Map.of("aboveInputTokens", 10, "rates", Map.of("input", 2)),
                        Map.of("aboveInputTokens", 10, "rates", Map.of("input", 3))), "field", "longContext.aboveInputTokens"),
                Map.of("longContext", List.of(Map.of("aboveInputTokens", -1, "rates", Map.of("input", 2))), "field", "longContext.aboveInputTokens"),
                Map.of("aliases", List.of(""), "field", "aliases"));
        long before = Json.list(graphql.post("{ customPrices { id } }", Map.of()), "data.customPrices").size();
        for (Map<String, Object> bad : cases) {
            Map<String, Object> input = new HashMap<>(ok);
            bad.forEach((k, v) -> {
                if (!k.equals("field")) {
                    input.put(k, v);
                }
            });
            GraphQL.onlyError(graphql.post(SET_PRICE, Map.of("input", input)), "BAD_USER_INPUT", (String) bad.get("field"));
        }
        Map<String, Object> noName = new HashMap<>(ok);
        noName.remove("model");
        GraphQL.onlyError(graphql.post(SET_PRICE, Map.of("input", noName)), "BAD_USER_INPUT", "model");
        assertEquals(before, Json.list(graphql.post("{ customPrices { id } }", Map.of()), "data.customPrices").size());

        String reprice = "mutation R($from: DateTime!, $to: DateTime!) { repriceUsage(from: $from, to: $to) { examined } }";
        GraphQL.onlyError(graphql.post(reprice, Map.of("from", "2026-10-02T00:00:00Z", "to", "2026-10-01T00:00:00Z")), "BAD_USER_INPUT", "to");
        GraphQL.onlyError(graphql.post(reprice, Map.of("from", "2025-01-01T00:00:00Z", "to", "2026-02-06T00:00:00Z")), "BAD_USER_INPUT", "to");
        GraphQL.onlyError(graphql.post("mutation { deleteCustomPrice(id: \"custom:x\") }", Map.of()), "BAD_USER_INPUT", "id");
    }

    @Test
    void theCatalogSaysWhereItsPricesCameFrom() {
        Map<String, Object> info = (Map<String, Object>) Json.at(graphql.post(
                "{ priceCatalog { source repository licence url commit commitDate providers models } }", Map.of()), "data.priceCatalog");
        assertEquals("genai-prices", info.get("source"));
        assertEquals("MIT", info.get("licence"));
        assertEquals("47df840a5ab10bbcffb8e5ac01b9899032245d1b", info.get("commit"));
        assertEquals("2026-08-21", info.get("commitDate"));
        assertEquals(36, Json.whole(info, "providers"));
        assertFalse(Json.whole(info, "models") < 1000, () -> "models: " + info);
    }
}
