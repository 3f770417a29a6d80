package dev.aiusage.intake;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What LiteLLM's generic HTTP logging callback posts: StandardLoggingPayload objects with every key of the typed dict
 * in {@code litellm/types/utils.py}, as a JSON array (its default), NDJSON and one object.
 */
@MicronautTest(transactional = false)
class LiteLlmIntakeTest {
    private static final String RECORDS = """
            query R($teams: [String!]) { usageRecords(filter: {teams: $teams}, first: 50) { edges { node {
              ts provider model team user taskType workflow inputTokens outputTokens cacheReadTokens cacheWriteTokens
              costUsd costSource catalogCostUsd latencyMs requestId } } } }""";
    private static final String FAILED = """
            query F($team: String) { failedCalls(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", team: $team) {
              source provider model team errorType calls } }""";

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
    }

    /** A StandardLoggingPayload with every key of the typed dict, as the proxy fills it for a call through a team key. */
    private static String payload(String id, String status, String provider, String model, int prompt, int completion, String cost,
                                  double start, double end, String team, String usageObject, String costFailure, String error, String tags) {
        return """
                {"id": "%s", "trace_id": "trace-%s", "call_type": "acompletion", "stream": false, "response_cost": %s,
                 "response_cost_failure_debug_info": %s, "status": "%s", "custom_llm_provider": "%s",
                 "total_tokens": %d, "prompt_tokens": %d, "completion_tokens": %d,
                 "startTime": %s, "endTime": %s, "completionStartTime": %s, "response_time": %s,
                 "model_map_information": {"model_map_key": "%s", "model_map_value": null},
                 "model": "%s", "model_id": "model-id-1", "model_group": "%s", "api_base": "https://api.example.com/v1",
                 "metadata": {"user_api_key_hash": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
                   "user_api_key_alias": "support-key", "user_api_key_org_id": null, "user_api_key_team_id": "team-uuid-1",
                   "user_api_key_user_id": "u-42", "user_api_key_team_alias": "%s", "user_api_key_end_user_id": null,
                   "spend_logs_metadata": null, "requester_ip_address": "10.0.0.7", "requester_metadata": {},
                   "requester_custom_headers": null, "prompt_management_metadata": null, "mcp_tool_call_metadata": null,
                   "vector_store_request_metadata": null, "applied_guardrails": [], "usage_object": %s},
                 "cache_hit": false, "cache_key": null, "saved_cache_cost": 0.0, "request_tags": %s, "end_user": "customer-9",
                 "requester_ip_address": "10.0.0.7", "messages": [{"role": "user", "content": "hi"}], "response": {},
                 "error_str": null, "error_information": %s, "model_parameters": {"temperature": 0.2},
                 "hidden_params": {"model_id": "model-id-1", "cache_key": null, "api_base": "https://api.example.com/v1",
                   "response_cost": null, "litellm_overhead_time_ms": 3.1, "additional_headers": null, "batch_models": null,
                   "litellm_model_name": "%s", "usage_object": null},
                 "guardrail_information": null, "standard_built_in_tools_params": null}"""
                .formatted(id, id, cost, costFailure, status, provider, prompt + completion, prompt, completion, start, end, start + 0.2,
                        end - start, model, model, model, team, usageObject, tags, error, model).replace("\n", " ");
    }

    /** claude-sonnet-4-5 through the proxy: 3,000 prompt tokens of which 1,000 cache reads and 500 cache writes, 200 out. */
    private static final String SUCCESS = payload("chatcmpl-lite-1", "success", "anthropic", "claude-sonnet-4-5-20250929", 3000, 200, "0.0123",
            1795683600.0, 1795683601.25, "lit-support",
            "{\"prompt_tokens\": 3000, \"completion_tokens\": 200, \"prompt_tokens_details\": {\"cached_tokens\": 1000, \"cache_creation_tokens\": 500}}",
            "null", "null", "[\"workflow:triage\", \"task:classify\"]");
    private static final String FAILURE = payload("chatcmpl-lite-2", "failure", "openai", "gpt-4o", 0, 0, "0.0",
            1795683700.0, 1795683700.5, "lit-support", "null", "null",
            "{\"error_code\": \"429\", \"error_class\": \"RateLimitError\", \"llm_provider\": \"openai\", \"traceback\": \"...\", \"error_message\": \"rate limited\"}",
            "[]");
    /** LiteLLM could not price this one: 0 with a debug note, so the catalog prices 1,000 × 0.15 + 100 × 0.60 per million = $0.00021. */
    private static final String UNPRICED_BY_LITELLM = payload("chatcmpl-lite-3", "success", "openai", "gpt-4o-mini", 1000, 100, "0.0",
            1795683800.0, 1795683800.4, "lit-support", "null",
            "{\"error_str\": \"model not mapped\", \"traceback_str\": \"\", \"model\": \"gpt-4o-mini\", \"call_type\": \"acompletion\"}", "null", "[]");

    private Map<String, Object> post(String body, String type) {
        HttpResponse<Map> response = client.toBlocking().exchange(HttpRequest.POST("/ingest/litellm", body).contentType(type), Map.class);
        assertEquals(200, response.code());
        return response.body();
    }

    private List<Map<String, Object>> records(String team) {
        Map<String, Object> data = graphql.inlineData(RECORDS, Map.of("teams", List.of(team)));
        return Json.nodes(data, "usageRecords.edges");
    }

    @Test
    void arrayNdjsonAndSingleObjectPayloadsAreStoredOnceWithFailuresApart() {
        Map<String, Object> array = post("[" + SUCCESS + ", " + FAILURE + "]", MediaType.APPLICATION_JSON);
        assertEquals(Map.of("received", 2, "accepted", 1, "duplicates", 0, "failed", 1, "ignored", 0, "rejected", List.of()), array);
        Map<String, Object> ndjson = post(UNPRICED_BY_LITELLM + "\n" + SUCCESS + "\n", "application/x-ndjson");
        assertEquals(Map.of("received", 2, "accepted", 1, "duplicates", 1, "failed", 0, "ignored", 0, "rejected", List.of()), ndjson,
                "the first call posted again is a duplicate");
        Map<String, Object> single = post(FAILURE, MediaType.APPLICATION_JSON);
        assertEquals(1, single.get("duplicates"), "the failure posted again: kept once");

        List<Map<String, Object>> stored = records("lit-support");
        assertEquals(2, stored.size());
        Map<String, Object> claude = stored.stream().filter(r -> r.get("requestId").equals("chatcmpl-lite-1")).findFirst().orElseThrow();
        assertEquals("anthropic", claude.get("provider"));
        assertEquals("claude-sonnet-4-5-20250929", claude.get("model"));
        assertEquals("u-42", claude.get("user"));
        assertEquals("classify", claude.get("taskType"));
        assertEquals("triage", claude.get("workflow"));
        assertEquals(3000, claude.get("inputTokens"));
        assertEquals(1000, claude.get("cacheReadTokens"));
        assertEquals(500, claude.get("cacheWriteTokens"));
        assertEquals(0.0123, Json.number(claude, "costUsd"), 1e-12);
        assertEquals("REPORTED", claude.get("costSource"));
        // 1,500 uncached × 3 + 1,000 × 0.30 + 500 × 3.75 + 200 × 15 per million
        assertEquals(0.009675, Json.number(claude, "catalogCostUsd"), 1e-12);
        assertEquals(1250, claude.get("latencyMs"));
        assertEquals("2026-11-26T09:00:00.000Z", claude.get("ts"), "startTime 1795683600.0 in seconds");
        Map<String, Object> mini = stored.stream().filter(r -> r.get("requestId").equals("chatcmpl-lite-3")).findFirst().orElseThrow();
        assertEquals("CATALOG", mini.get("costSource"));
        assertEquals(0.00021, Json.number(mini, "costUsd"), 1e-12);
        assertEquals("completion", mini.get("taskType"), "acompletion is a completion");

        Map<String, Object> failures = graphql.inlineData(FAILED, Map.of("team", "lit-support"));
        assertEquals(List.of(Map.of("source", "litellm", "provider", "openai", "model", "gpt-4o", "team", "lit-support",
                "errorType", "RateLimitError", "calls", 1)), Json.list(failures, "failedCalls"));
    }

    @Test
    void badPayloadsAreRefusedByLiteLlmsFieldNames() {
        String negative = payload("chatcmpl-bad-1", "success", "openai", "gpt-4o", -3, 10, "0.001", 1795683600.0, 1795683601.0, "lit-bad",
                "null", "null", "null", "[]");
        String noTeam = payload("chatcmpl-bad-2", "success", "openai", "gpt-4o", 3, 10, "0.001", 1795683600.0, 1795683601.0, "",
                "null", "null", "null", "[]").replace("\"user_api_key_team_id\": \"team-uuid-1\"", "\"user_api_key_team_id\": null");
        String good = payload("chatcmpl-bad-3", "success", "openai", "gpt-4o", 3, 10, "0.001", 1795683600.0, 1795683601.0, "lit-bad",
                "null", "null", "null", "[]");
        Map<String, Object> result = post("[" + negative + "," + noTeam + ",[1]," + good + "]", MediaType.APPLICATION_JSON);
        assertEquals(1, result.get("accepted"));
        assertEquals(List.of(
                Map.of("index", 0, "requestId", "chatcmpl-bad-1", "field", "prompt_tokens", "message", "prompt_tokens must not be negative"),
                Map.of("index", 1, "requestId", "chatcmpl-bad-2", "field", "metadata.user_api_key_team_alias",
                        "message", "the call names no team: give its key a team in LiteLLM, or set aiusage.intake.default-team"),
                Map.of("index", 2, "field", "body", "message", "each payload must be a StandardLoggingPayload object")), result.get("rejected"));
        assertEquals(1, records("lit-bad").size());

        HttpClientResponseException notJson = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.POST("/ingest/litellm", "{not json").contentType(MediaType.APPLICATION_JSON), Map.class));
        assertEquals(400, notJson.getStatus().getCode());
        Map<String, Object> error = (Map<String, Object>) notJson.getResponse().getBody(Map.class).orElseThrow().get("error");
        assertEquals("BAD_USER_INPUT", error.get("code"));
        assertEquals("body", error.get("field"));
        assertTrue(!error.get("message").toString().contains("not json"), "the input is not echoed");
    }
}
