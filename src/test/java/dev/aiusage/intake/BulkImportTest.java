package dev.aiusage.intake;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk imports over HTTP: JSONL with our field names in random order, CSV with an export's column names, the same
 * file twice, bad lines reported by line, and progress visible while a streamed import runs.
 */
@MicronautTest(transactional = false)
class BulkImportTest {
    private static final String TEAM_COST = """
            query C($teams: [String!]) { costByTeam(from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z", filter: {teams: $teams}) {
              team totalCost requests tokens } }""";

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    EmbeddedServer server;
    GraphQL graphql;

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
    }

    private HttpResponse<String> post(String query, String type, HttpRequest.BodyPublisher body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + "/import" + query))
                .header("Content-Type", type).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> imported(String query, String type, String body) throws Exception {
        HttpResponse<String> response = post(query, type, HttpRequest.BodyPublishers.ofString(body));
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private Map<String, Object> teamCost(String team) {
        List<?> rows = Json.list(graphql.inlineData(TEAM_COST, Map.of("teams", List.of(team))), "costByTeam");
        return rows.isEmpty() ? Map.of() : (Map<String, Object>) rows.get(0);
    }

    @Test
    void jsonlInRandomOrderIsStoredOnceWithBadLinesReportedByLine() throws Exception {
        // 200 calls of $0.001 each, 100 input + 10 output tokens, at 200 different hours, shuffled
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("{\"ts\": \"" + Instant.parse("2026-06-01T00:00:00Z").plus(Duration.ofHours(i * 7L)) + "\", \"provider\": \"openai\", "
                    + "\"model\": \"gpt-4o\", \"team\": \"bulk-jsonl\", \"taskType\": \"chat\", \"inputTokens\": 100, \"outputTokens\": 10, "
                    + "\"costUsd\": 0.001, \"requestId\": \"bulk-" + i + "\", \"promptTemplate\": {\"name\": \"triage\", \"version\": \"v2\"}}");
        }
        Collections.shuffle(lines, new Random(7));
        lines.add(3, "{\"provider\": \"openai\", \"model\": \"gpt-4o\", \"team\": \"bulk-jsonl\", \"taskType\": \"chat\", \"inputTokens\": -1, \"requestId\": \"bulk-bad\"}");
        // a row of another export's keys: its refusal names its own key, not the other rows'
        lines.add(5, "{\"provider\": \"openai\", \"model\": \"gpt-4o\", \"team\": \"bulk-jsonl\", \"task\": \"chat\", \"prompt_tokens\": -2, \"request_id\": \"bulk-bad-2\"}");
        lines.add(10, "this is not json");
        lines.add(20, "");
        lines.add(30, lines.get(0));
        String file = String.join("\n", lines) + "\n";

        Map<String, Object> summary = imported("?format=jsonl&name=history.jsonl", "application/octet-stream", file);
        assertEquals("DONE", summary.get("state"));
        assertEquals(205, ((Number) summary.get("lines")).intValue());
        assertEquals(200, ((Number) summary.get("accepted")).intValue());
        assertEquals(1, ((Number) summary.get("duplicates")).intValue(), "line 31 repeats line 1");
        assertEquals(3, ((Number) summary.get("rejected")).intValue());
        assertEquals(List.of(Map.of("line", 4, "requestId", "bulk-bad", "field", "inputTokens", "message", "inputTokens must not be negative"),
                Map.of("line", 6, "requestId", "bulk-bad-2", "field", "prompt_tokens", "message", "inputTokens must not be negative"),
                Map.of("line", 11, "field", "line", "message", "the line is not a JSON object", "requestId", "")), withoutNulls(summary.get("rejections")));
        Map<String, Object> cost = teamCost("bulk-jsonl");
        assertEquals(200, ((Number) cost.get("requests")).intValue());
        assertEquals(0.2, Json.number(cost, "totalCost"), 1e-9);
        assertEquals(22_000, ((Number) cost.get("tokens")).intValue());

        Map<String, Object> again = imported("?format=jsonl", "application/x-ndjson", file);
        assertEquals(0, ((Number) again.get("accepted")).intValue());
        assertEquals(201, ((Number) again.get("duplicates")).intValue(), "the same file again: every good line a duplicate");
        assertEquals(200, ((Number) teamCost("bulk-jsonl").get("requests")).intValue());
    }

    private static List<Map<String, Object>> withoutNulls(Object rejections) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : (List<?>) rejections) {
            Map<String, Object> copy = new java.util.HashMap<>((Map<String, Object>) r);
            copy.replaceAll((k, v) -> v == null ? "" : v);
            out.add(copy);
        }
        return out;
    }

    @Test
    void csvWithAnExportsColumnNamesAndNoRequestIdsIsIdempotentByContent() throws Exception {
        // LiteLLM's spend-log columns: startTime, model, custom_llm_provider, prompt_tokens, completion_tokens, spend, team_alias, user, call_type
        String csv = """
                startTime,model,custom_llm_provider,prompt_tokens,completion_tokens,spend,team_alias,user,call_type,api_key
                2026-11-02 10:00:00,gpt-4o-mini,openai,1000,100,0.00021,bulk-csv,ana,acompletion,sk-hidden
                2026-11-01T08:30:00+01:00,gpt-4o-mini,openai,2000,200,,bulk-csv,bo,acompletion,sk-hidden
                "2026-11-03 12:00:00",gpt-4o-mini,openai,"3000","300",0.00063,bulk-csv,"ana",acompletion,sk-hidden
                2026-11-04 12:00:00,gpt-4o-mini,openai,lots,300,0.1,bulk-csv,ana,acompletion,sk-hidden
                """;
        Map<String, Object> summary = imported("?taskType=chat", "text/csv", csv);
        assertEquals("DONE", summary.get("state"));
        assertEquals(3, ((Number) summary.get("accepted")).intValue());
        assertEquals(List.of("api_key"), summary.get("ignoredColumns"));
        assertEquals(List.of(Map.of("line", 5, "field", "prompt_tokens", "message", "prompt_tokens must be a whole number", "requestId", "")),
                withoutNulls(summary.get("rejections")));
        // the second row has no spend: priced from the catalog, 2,000 × 0.15 + 200 × 0.60 per million = $0.00042
        Map<String, Object> cost = teamCost("bulk-csv");
        assertEquals(3, ((Number) cost.get("requests")).intValue());
        assertEquals(0.00021 + 0.00042 + 0.00063, Json.number(cost, "totalCost"), 1e-12);
        Map<String, Object> again = imported("?taskType=chat&format=csv", "text/plain", csv);
        assertEquals(0, ((Number) again.get("accepted")).intValue());
        assertEquals(3, ((Number) again.get("duplicates")).intValue(), "rows without a request id are known by their content");

        HttpResponse<String> noModel = post("?format=csv", "text/csv", HttpRequest.BodyPublishers.ofString("team,cost\nx,1\n"));
        assertEquals(200, noModel.statusCode());
        Map<String, Object> failed = Json.parse(noModel.body());
        assertEquals("FAILED", failed.get("state"));
        assertTrue(failed.get("message").toString().startsWith("the header names no column for model"), failed.get("message").toString());
    }

    @Test
    void aFileThatCannotBeReadOnStopsTheImportWithWhatCameBeforeStored() throws Exception {
        String header = "ts,provider,model,team,taskType,cost,request_id\n";
        String good = "2026-10-05T00:00:00Z,openai,gpt-4o,bulk-broken,chat,0.5,broken-1\n";
        Map<String, Object> unclosed = imported("", "text/csv", header + good + "2026-10-05T01:00:00Z,openai,\"gpt-4o secret text,bulk-broken,chat,1,broken-2\n");
        assertEquals("FAILED", unclosed.get("state"));
        assertEquals("the file could not be read on after line 2: a quoted CSV field is not closed", unclosed.get("message"));
        assertEquals(1, ((Number) teamCost("bulk-broken").get("requests")).intValue(), "the row before the fault is stored");

        byte[] latin1 = (header + "2026-10-05T02:00:00Z,openai,gpt-4o,bulk-broken-\u00e9,chat,1,broken-3\n").getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> notUtf8 = Json.parse(post("", "text/csv", HttpRequest.BodyPublishers.ofByteArray(latin1)).body());
        assertEquals("FAILED", notUtf8.get("state"));
        assertTrue(notUtf8.get("message").toString().endsWith("it is not UTF-8"), notUtf8.get("message").toString());

        Map<String, Object> endless = imported("?format=jsonl", "application/octet-stream", "{\"a\": \"" + "x".repeat(1_100_000) + "\"}\n");
        assertEquals("FAILED", endless.get("state"));
        assertEquals("the file could not be read on after line 0: a line is longer than 1048576 characters", endless.get("message"));
        assertTrue(!endless.toString().contains("xxxx"), "the content is not echoed");
    }

    @Test
    void progressIsVisibleWhileAStreamedImportRuns() throws Exception {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            first.append("{\"ts\": \"2026-10-01T00:00:00Z\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"team\": \"bulk-live\", \"taskType\": \"chat\", "
                    + "\"costUsd\": 0.01, \"requestId\": \"live-" + i + "\"}\n");
        }
        CountDownLatch seen = new CountDownLatch(1);
        InputStream rest = new InputStream() {
            private final InputStream last = new java.io.ByteArrayInputStream(("{\"ts\": \"2026-10-02T00:00:00Z\", \"provider\": \"openai\", \"model\": \"gpt-4o\", "
                    + "\"team\": \"bulk-live\", \"taskType\": \"chat\", \"costUsd\": 0.01, \"requestId\": \"live-last\"}\n").getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                try {
                    seen.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return last.read();
            }
        };
        InputStream body = new SequenceInputStream(new java.io.ByteArrayInputStream(first.toString().getBytes(StandardCharsets.UTF_8)), rest);
        CompletableFuture<HttpResponse<String>> running = java.net.http.HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(server.getURL() + "/import?format=jsonl&name=live")).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> progress = null;
        for (int tries = 0; tries < 300 && progress == null; tries++) {
            HttpResponse<String> jobs = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + "/import")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            for (Object job : (List<?>) Json.parse("{\"jobs\":" + jobs.body() + "}").get("jobs")) {
                Map<String, Object> j = (Map<String, Object>) job;
                if ("live".equals(j.get("name")) && ((Number) j.get("accepted")).intValue() >= 5000) {
                    progress = j;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(progress != null, "the first batch's progress was never shown");
        assertEquals("RUNNING", progress.get("state"));
        assertEquals(5000, ((Number) progress.get("accepted")).intValue(), "one batch of 5,000 stored, the rest still being read");
        seen.countDown();
        Map<String, Object> summary = Json.parse(running.get().body());
        assertEquals("DONE", summary.get("state"));
        assertEquals(6001, ((Number) summary.get("accepted")).intValue());
        HttpResponse<String> one = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.getURL() + "/import/" + summary.get("id"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("DONE", Json.parse(one.body()).get("state"));
        HttpResponse<String> unknown = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.getURL() + "/import/nope")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("NOT_FOUND", Json.at(Json.parse(unknown.body()), "error.code"));
    }
}
