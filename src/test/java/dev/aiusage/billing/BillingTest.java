package dev.aiusage.billing;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Reconciliation with the providers' bills: their cost exports in their own shapes (Anthropic's amounts in cents,
 * OpenAI's in dollars by project), pages in any order and twice, set beside the logged spend with a planted gap.
 */
@MicronautTest(transactional = false)
class BillingTest {
    private static final String IMPORT = """
            mutation I($provider: BilledProvider!, $format: BillFormat, $document: String!) {
              importBilledCosts(provider: $provider, format: $format, document: $document) { lines added replaced firstDay lastDay amountUsd } }""";
    private static final String RECONCILE = """
            query R($provider: BilledProvider) { reconciliation(from: "2026-11-10T00:00:00Z", to: "2026-11-14T00:00:00Z", provider: $provider) {
              firstDay lastDay billedUsd loggedUsd differenceUsd unloggedShare
              days { day provider billedUsd loggedUsd differenceUsd unloggedShare
                models { model billedUsd loggedUsd differenceUsd } workspaces { workspace billedUsd } } } }""";

    /** Anthropic's cost report grouped by workspace and description, day 1: $12.345 + $20 of claude-sonnet-4-5, $1 of web search. */
    private static final String ANTHROPIC_DAY_1 = """
            {"data": [{"starting_at": "2026-11-10T00:00:00Z", "ending_at": "2026-11-11T00:00:00Z", "results": [
              {"currency": "USD", "amount": "1234.5", "workspace_id": "wrk_A", "description": "Claude Sonnet 4.5 Usage - Input Tokens",
               "cost_type": "tokens", "context_window": "0-200k", "model": "claude-sonnet-4-5-20250929", "service_tier": "standard",
               "token_type": "uncached_input_tokens", "inference_geo": null},
              {"currency": "USD", "amount": "2000", "workspace_id": "wrk_A", "description": "Claude Sonnet 4.5 Usage - Output Tokens",
               "cost_type": "tokens", "context_window": "0-200k", "model": "claude-sonnet-4-5-20250929", "service_tier": "standard",
               "token_type": "output_tokens", "inference_geo": null},
              {"currency": "USD", "amount": "100", "workspace_id": "wrk_B", "description": "Web Search", "cost_type": "web_search",
               "context_window": null, "model": null, "service_tier": null, "token_type": null, "inference_geo": null}]}],
             "has_more": true, "next_page": "page_2"}""";
    /** Day 2: $5 of output that nobody logged. */
    private static final String ANTHROPIC_DAY_2 = """
            {"data": [{"starting_at": "2026-11-11T00:00:00Z", "ending_at": "2026-11-12T00:00:00Z", "results": [
              {"currency": "USD", "amount": "500", "workspace_id": "wrk_A", "description": "Claude Sonnet 4.5 Usage - Output Tokens",
               "cost_type": "tokens", "context_window": "0-200k", "model": "claude-sonnet-4-5-20250929", "service_tier": "standard",
               "token_type": "output_tokens", "inference_geo": null}]}], "has_more": false, "next_page": null}""";
    /** OpenAI's organization costs grouped by project and line item, 2026-11-10: $10.50 and $2.25. */
    private static final String OPENAI_PAGE = """
            {"object": "page", "data": [{"object": "bucket", "start_time": 1794268800, "end_time": 1794355200, "results": [
              {"object": "organization.costs.result", "amount": {"value": 10.5, "currency": "usd"}, "line_item": "gpt-4o, input",
               "project_id": "proj_1", "organization_id": "org-1"},
              {"object": "organization.costs.result", "amount": {"value": 2.25, "currency": "usd"}, "line_item": null,
               "project_id": "proj_2", "organization_id": "org-1"}]}], "has_more": false, "next_page": null}""";

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
    }

    private Map<String, Object> importBill(String provider, String format, String document) {
        return (Map<String, Object>) Json.at(graphql.inlineData(IMPORT, Map.of("provider", provider, "format", format, "document", document)), "importBilledCosts");
    }

    private void logged(String ts, String provider, String model, double cost) {
        Map<String, Object> data = graphql.data("recordUsage", Map.of("input",
                Usage.of(ts, "billing", model, "w", "t", cost).set("provider", provider).map()));
        assertEquals(1, Json.whole(data, "recordUsage.accepted"));
    }

    /**
     * Logged: Anthropic $30 of claude-sonnet-4-5 (as the record names it, without the date) on 11-10, $2 on 11-12;
     * OpenAI $12 on 11-10. Billed: Anthropic $33.345 on 11-10 (of which $32.345 for the model and $1 of web search)
     * and $5 on 11-11; OpenAI $12.75 on 11-10 and $4 on 11-13 (from a CSV). So Anthropic's 11-10 differs by $3.345,
     * a share 3.345 / 33.345 = 0.100314889788574 never logged; 11-11 is the planted gap, all of it unlogged; 11-12 was
     * logged but not billed (difference −2, no share). OpenAI's 11-10 differs by 0.75 (0.75 / 12.75 = 0.0588235…).
     */
    @Test
    void setsBillsInAnyOrderAndTwiceBesideTheLoggedSpend() {
        logged("2026-11-10T10:00:00Z", "anthropic", "claude-sonnet-4-5", 30);
        logged("2026-11-12T10:00:00Z", "Anthropic", "claude-sonnet-4-5", 2);
        logged("2026-11-10T11:00:00Z", "openai", "gpt-4o", 12);

        // the second page first, then the first; then the first again
        assertEquals(Map.of("lines", 1, "added", 1, "replaced", 0, "firstDay", "2026-11-11", "lastDay", "2026-11-11", "amountUsd", 5.0),
                importBill("ANTHROPIC", "JSON", ANTHROPIC_DAY_2));
        assertEquals(Map.of("lines", 3, "added", 3, "replaced", 0, "firstDay", "2026-11-10", "lastDay", "2026-11-10", "amountUsd", 33.345),
                importBill("ANTHROPIC", "JSON", ANTHROPIC_DAY_1));
        assertEquals(Map.of("lines", 3, "added", 0, "replaced", 3, "firstDay", "2026-11-10", "lastDay", "2026-11-10", "amountUsd", 33.345),
                importBill("ANTHROPIC", "JSON", ANTHROPIC_DAY_1));
        importBill("OPENAI", "JSON", OPENAI_PAGE);
        importBill("OPENAI", "CSV", "date,amount_usd,project_id,line_item\n2026-11-13,4.00,proj_1,\"gpt-4o, output\"\n");

        Map<String, Object> anthropic = (Map<String, Object>) Json.at(graphql.post(RECONCILE, Map.of("provider", "ANTHROPIC")), "data.reconciliation");
        List<?> days = (List<?>) anthropic.get("days");
        assertEquals(3, days.size(), () -> "days " + days);
        Object first = days.get(0);
        assertEquals("2026-11-10", Json.at(first, "day"));
        assertEquals(33.345, Json.number(first, "billedUsd"), 1e-9);
        assertEquals(30.0, Json.number(first, "loggedUsd"));
        assertEquals(3.345, Json.number(first, "differenceUsd"), 1e-9);
        assertEquals(0.100314889788574, Json.number(first, "unloggedShare"), 1e-12);
        assertEquals(List.of(Map.of("model", "claude-sonnet-4-5", "billedUsd", 32.345, "loggedUsd", 30.0, "differenceUsd", 2.345)),
                ((List<?>) Json.at(first, "models")).subList(0, 1));
        Map<String, Object> webSearch = (Map<String, Object>) ((List<?>) Json.at(first, "models")).get(1);
        assertNull(webSearch.get("model"));
        assertEquals(1.0, Json.number(webSearch, "billedUsd"));
        assertEquals(List.of(Map.of("workspace", "wrk_A", "billedUsd", 32.345), Map.of("workspace", "wrk_B", "billedUsd", 1.0)),
                Json.at(first, "workspaces"));
        Object gap = days.get(1);
        assertEquals(List.of("2026-11-11", 5.0, 0.0, 5.0, 1.0), List.of(Json.at(gap, "day"), Json.number(gap, "billedUsd"),
                Json.number(gap, "loggedUsd"), Json.number(gap, "differenceUsd"), Json.number(gap, "unloggedShare")));
        Object unbilled = days.get(2);
        assertEquals(List.of("2026-11-12", 0.0, 2.0, -2.0), List.of(Json.at(unbilled, "day"), Json.number(unbilled, "billedUsd"),
                Json.number(unbilled, "loggedUsd"), Json.number(unbilled, "differenceUsd")));
        assertNull(Json.at(unbilled, "unloggedShare"));
        // the window: billed 38.345, logged 32, never logged (38.345 − 32) / 38.345
        assertEquals(38.345, Json.number(anthropic, "billedUsd"), 1e-9);
        assertEquals(32.0, Json.number(anthropic, "loggedUsd"));
        assertEquals(6.345 / 38.345, Json.number(anthropic, "unloggedShare"), 1e-12);

        Map<String, Object> all = (Map<String, Object>) Json.at(graphql.post(RECONCILE, Map.of()), "data.reconciliation");
        List<?> openai = ((List<?>) all.get("days")).stream().filter(d -> "openai".equals(Json.at(d, "provider"))).toList();
        assertEquals(2, openai.size());
        assertEquals(12.75, Json.number(openai.get(0), "billedUsd"));
        assertEquals(12.0, Json.number(openai.get(0), "loggedUsd"));
        assertEquals(0.75 / 12.75, Json.number(openai.get(0), "unloggedShare"), 1e-12);
        assertEquals(List.of(), Json.at(openai.get(0), "models"), "OpenAI's export has no models");
        assertEquals(List.of(Map.of("workspace", "proj_1", "billedUsd", 10.5), Map.of("workspace", "proj_2", "billedUsd", 2.25)),
                Json.at(openai.get(0), "workspaces"));
        assertEquals(List.of("2026-11-13", 4.0, 1.0), List.of(Json.at(openai.get(1), "day"), Json.number(openai.get(1), "billedUsd"),
                Json.number(openai.get(1), "unloggedShare")));
        assertEquals(38.345 + 16.75, Json.number(all, "billedUsd"), 1e-9);
    }

    /** A document at fault is refused with the field and a reason, echoes nothing and stores nothing. */
    @Test
    void refusesADocumentAtFaultWhole() {
        String[][] bad = {
                {"ANTHROPIC", "JSON", "{not json"},
                {"ANTHROPIC", "JSON", "{\"data\": 5}"},
                {"ANTHROPIC", "JSON", "{\"data\": [{\"starting_at\": \"yesterday\", \"results\": []}]}"},
                {"ANTHROPIC", "JSON", "{\"data\": [{\"starting_at\": \"2026-11-20T00:00:00Z\", \"results\": [{\"amount\": \"12x\", \"currency\": \"USD\"}]}]}"},
                {"ANTHROPIC", "JSON", "{\"data\": [{\"starting_at\": \"2026-11-20T00:00:00Z\", \"results\": [{\"amount\": \"12\", \"currency\": \"EUR\"}]}]}"},
                {"OPENAI", "JSON", "{\"data\": [{\"start_time\": 1.5, \"results\": []}]}"},
                {"OPENAI", "JSON", "{\"data\": []}"},
                {"OPENAI", "CSV", "when,how much\n2026-11-20,1\n"},
                {"OPENAI", "CSV", "date,amount_usd\n2026-11-20,1\n20-11-2026,2\n"},
                {"OPENAI", "CSV", "date,amount_usd\n2026-11-20,1\n2026-11-21,ten\n"},
        };
        for (String[] b : bad) {
            Map<String, Object> response = graphql.post(IMPORT, Map.of("provider", b[0], "format", b[1], "document", b[2]));
            Map<String, Object> error = GraphQL.onlyError(response, "BAD_USER_INPUT", "document");
            assertEquals(false, String.valueOf(error.get("message")).contains(b[2]), () -> "echoes the input: " + error);
        }
        Map<String, Object> none = (Map<String, Object>) Json.at(graphql.post("""
                { reconciliation(from: "2026-11-19T00:00:00Z", to: "2026-11-23T00:00:00Z") { billedUsd days { day } } }""", Map.of()),
                "data.reconciliation");
        assertEquals(0.0, Json.number(none, "billedUsd"));
        assertEquals(List.of(), none.get("days"));
    }
}
