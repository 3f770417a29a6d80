package dev.aiusage.ingest;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recordUsage and recordUsageBatch: exact storage, idempotency, per-item rejection, and every class of bad input. */
@MicronautTest(transactional = false)
class IngestTest {
    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeEach
    void setUp() {
        graphql = new GraphQL(client);
    }

    private long storedRecords() {
        return Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records");
    }

    private List<?> recordsOf(String team) {
        return Json.list(graphql.data("usageRecords", Map.of("filter", Map.of("teams", List.of(team)), "first", 100)),
                "usageRecords.edges");
    }

    @Test
    void storesEveryFieldExactly() {
        Map<String, Object> input = Usage.of("2026-06-01T12:34:56.789+02:00", "exact", "gpt-4o", "support-bot", "summarize", 0.0123456789)
                .tokens(1200, 345).latency(850).quality(0.875, true)
                .set("provider", "openai").set("user", "ana").set("requestId", "exact-1").set("sessionId", "s-1")
                .set("promptTemplate", Map.of("name", "brief", "version", "2026-05")).set("promptChars", 4321).map();
        Map<String, Object> data = graphql.data("recordUsage", Map.of("input", input));
        assertEquals(Map.of("accepted", 1, "duplicates", 0, "rejected", List.of()), data.get("recordUsage"));

        List<?> edges = recordsOf("exact");
        assertEquals(1, edges.size());
        Map<String, Object> expected = new HashMap<>();
        expected.put("ts", "2026-06-01T10:34:56.789Z");
        expected.put("provider", "openai");
        expected.put("model", "gpt-4o");
        expected.put("team", "exact");
        expected.put("user", "ana");
        expected.put("taskType", "summarize");
        expected.put("workflow", "support-bot");
        expected.put("inputTokens", 1200);
        expected.put("outputTokens", 345);
        expected.put("tokens", 1545);
        expected.put("costUsd", 0.0123456789);
        expected.put("latencyMs", 850);
        expected.put("qualityScore", 0.875);
        expected.put("passedQuality", true);
        expected.put("requestId", "exact-1");
        expected.put("sessionId", "s-1");
        expected.put("promptTemplate", Map.of("name", "brief", "version", "2026-05"));
        expected.put("promptChars", 4321);
        @SuppressWarnings("unchecked")
        Map<String, Object> node = new HashMap<>((Map<String, Object>) Json.at(edges.get(0), "node"));
        assertTrue(node.remove("id") instanceof String);
        assertEquals(expected, node);
    }

    /**
     * Names are stored as sent whatever characters they hold: quotes, commas, backslashes, a CSV null marker, SQL
     * and non-Latin text (on PostgreSQL they travel through COPY's CSV, on H2 through a prepared batch).
     */
    @Test
    void storesAnyNameAsSent() {
        List<String> names = List.of("a \"quoted\", name", "back\\slash\\N", "\\N", "x' OR '1'='1", "naïve 模型 🚀", ",");
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            inputs.add(Usage.of("2026-06-02T00:00:0" + i + "Z", "verbatim", names.get(i), names.get(i), names.get(i), 0.5)
                    .set("user", names.get(i)).set("provider", names.get(i)).set("requestId", names.get(i)).set("sessionId", names.get(i)).map());
        }
        assertEquals(names.size(), Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", inputs)), "recordUsageBatch.accepted"));
        List<?> edges = recordsOf("verbatim");
        assertEquals(names.size(), edges.size());
        for (Object edge : edges) {
            String ts = (String) Json.at(edge, "node.ts");
            String expected = names.get(Integer.parseInt(ts.substring(18, 19)));
            for (String field : List.of("model", "workflow", "taskType", "user", "provider", "requestId", "sessionId")) {
                assertEquals(expected, Json.at(edge, "node." + field), () -> field + " of " + edge);
            }
        }
    }

    @Test
    void leavesOptionalFieldsEmptyAndDefaultsTsToNow() {
        Instant before = Instant.now();
        graphql.data("recordUsage", Map.of("input", Usage.of(null, "defaults", "m", null, "t", 0).map()));
        Instant after = Instant.now();
        Object node = Json.at(recordsOf("defaults").get(0), "node");
        Instant ts = Instant.parse((String) Json.at(node, "ts"));
        assertFalse(ts.isBefore(before.minusMillis(1)) || ts.isAfter(after), () -> "ts " + ts + " not in [" + before + ", " + after + "]");
        for (String field : List.of("user", "workflow", "inputTokens", "outputTokens", "latencyMs", "qualityScore",
                "passedQuality", "requestId", "sessionId")) {
            assertNull(Json.at(node, field), field);
        }
        assertEquals(0, Json.whole(node, "tokens"));
    }

    /**
     * A requestId is unique per team: another team's record with the same id is its own call, before and after
     * the first one is folded, while a retry within the team stays a duplicate.
     */
    @Test
    void aRequestIdIsUniquePerTeam() {
        Map<String, Object> first = Usage.of("2026-06-04T00:00:00Z", "team-one", "m", null, "t", 1.0).set("requestId", "shared-7").map();
        Map<String, Object> second = Usage.of("2026-06-04T00:00:00Z", "team-two", "m", null, "t", 2.0).set("requestId", "shared-7").map();
        Map<String, Object> third = Usage.of("2026-06-04T00:00:00Z", "team-three", "m", null, "t", 3.0).set("requestId", "shared-7").map();
        assertEquals(Map.of("accepted", 1, "duplicates", 0, "rejected", List.of()),
                graphql.data("recordUsage", Map.of("input", first)).get("recordUsage"));
        assertEquals(Map.of("accepted", 1, "duplicates", 0, "rejected", List.of()),
                graphql.data("recordUsage", Map.of("input", second)).get("recordUsage"), "not folded yet");
        graphql.data("rebuildRollups", Map.of());
        assertEquals(0, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.unfoldedRecords"));
        assertEquals(Map.of("accepted", 1, "duplicates", 0, "rejected", List.of()),
                graphql.data("recordUsage", Map.of("input", third)).get("recordUsage"), "the others folded");
        assertEquals(Map.of("accepted", 0, "duplicates", 3, "rejected", List.of()),
                graphql.data("recordUsageBatch", Map.of("inputs", List.of(first, second, third))).get("recordUsageBatch"));
        assertEquals(1, recordsOf("team-one").size());
        assertEquals(1, recordsOf("team-two").size());
        assertEquals(1, recordsOf("team-three").size());
    }

    @Test
    void aRequestIdIsStoredOnce() {
        Map<String, Object> input = Usage.of("2026-06-02T00:00:00Z", "idem", "m", null, "t", 1.0).set("requestId", "idem-1").map();
        assertEquals(Map.of("accepted", 1, "duplicates", 0, "rejected", List.of()),
                graphql.data("recordUsage", Map.of("input", input)).get("recordUsage"));
        assertEquals(Map.of("accepted", 0, "duplicates", 1, "rejected", List.of()),
                graphql.data("recordUsage", Map.of("input", input)).get("recordUsage"));
        // a retried batch holding it again, and twice over, stores none of the copies
        Map<String, Object> batch = graphql.data("recordUsageBatch", Map.of("inputs", List.of(input, input)));
        assertEquals(Map.of("accepted", 0, "duplicates", 2, "rejected", List.of()), batch.get("recordUsageBatch"));
        assertEquals(1, recordsOf("idem").size());
        // records without a requestId are never taken for duplicates
        Map<String, Object> anonymous = Usage.of("2026-06-02T00:00:00Z", "idem", "m", null, "t", 1.0).map();
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(anonymous, anonymous)));
        assertEquals(3, recordsOf("idem").size());
    }

    @Test
    void retriesRacingEachOtherStoreEachRecordOnce() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(Usage.of("2026-06-06T00:00:00Z", "race", "m", null, "t", 0.01).set("requestId", "race-" + i).map());
        }
        int senders = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Map<String, Object>>> results = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return graphql.data("recordUsageBatch", Map.of("inputs", batch));
                }));
            }
            start.countDown();
            long accepted = 0;
            long duplicates = 0;
            for (var result : results) {
                Map<String, Object> data = result.get();
                accepted += Json.whole(data, "recordUsageBatch.accepted");
                duplicates += Json.whole(data, "recordUsageBatch.duplicates");
            }
            assertEquals(300, accepted);
            assertEquals(300L * (senders - 1), duplicates);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> totals = graphql.data("costByTeam", Map.of("from", "2026-06-06T00:00:00Z", "to", "2026-06-07T00:00:00Z",
                "filter", Map.of("teams", List.of("race"))));
        assertEquals(300, Json.whole(totals, "costByTeam[0].requests"));
    }

    @Test
    void aBatchStoresTheValidItemsAndReportsEachInvalidOne() {
        graphql.data("recordUsage", Map.of("input", Usage.of("2026-06-03T00:00:00Z", "batch", "m", null, "t", 1.0).set("requestId", "batch-old").map()));
        List<Map<String, Object>> inputs = List.of(
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 1.0).set("requestId", "batch-a").map(),
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 1.0).set("requestId", "batch-b").quality(1.5, null).map(),
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 1.0).set("requestId", "batch-a").map(),
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 1.0).tokens(-3, 10).map(),
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 1.0).set("requestId", "batch-old").map(),
                Usage.of("2026-06-03T01:00:00Z", "batch", "m", null, "t", 2.5).map());
        Map<String, Object> result = graphql.data("recordUsageBatch", Map.of("inputs", inputs));
        // stored: items 0 and 5; duplicates: item 2 (of item 0) and item 4 (stored before); rejected: 1 and 3
        assertEquals(2, Json.whole(result, "recordUsageBatch.accepted"));
        assertEquals(2, Json.whole(result, "recordUsageBatch.duplicates"));
        List<?> rejected = Json.list(result, "recordUsageBatch.rejected");
        assertEquals(2, rejected.size());
        assertEquals(1, Json.whole(rejected.get(0), "index"));
        assertEquals("batch-b", Json.at(rejected.get(0), "requestId"));
        assertEquals("qualityScore", Json.at(rejected.get(0), "field"));
        assertEquals(3, Json.whole(rejected.get(1), "index"));
        assertNull(Json.at(rejected.get(1), "requestId"));
        assertEquals("inputTokens", Json.at(rejected.get(1), "field"));
        rejected.forEach(r -> Safety.assertNoInternals(String.valueOf(r)));
        // nothing of a rejected item is stored: 1 + 2 records, none at 1.5 quality or -3 tokens
        List<?> stored = recordsOf("batch");
        assertEquals(3, stored.size());
        assertEquals(4.5, stored.stream().mapToDouble(e -> Json.number(e, "node.costUsd")).sum(), 1e-9);
    }

    @Test
    void aBatchOverFiveThousandIsRefusedWhole() {
        long before = storedRecords();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i <= IngestService.MAX_BATCH; i++) {
            inputs.add(Usage.of("2026-06-04T00:00:00Z", "huge", "m", null, "t", 0.001).map());
        }
        GraphQL.onlyError(graphql.run("recordUsageBatch", Map.of("inputs", inputs)), "BAD_USER_INPUT", "inputs");
        assertEquals(before, storedRecords());
        // exactly 5,000 is fine
        Map<String, Object> data = graphql.data("recordUsageBatch", Map.of("inputs", inputs.subList(0, IngestService.MAX_BATCH)));
        assertEquals(IngestService.MAX_BATCH, Json.whole(data, "recordUsageBatch.accepted"));
    }

    /** One bad value: the field it goes in, the value, and the field the error must name. */
    record Case(String field, Object value, String reported) {
        @Override
        public String toString() {
            return field + " = " + String.valueOf(value).replace("\n", "\\n").replace("\u0000", "\\0");
        }
    }

    private static Case of(String field, Object value) {
        return new Case(field, value, field);
    }

    static Stream<Case> badInputs() {
        return Stream.of(
                of("inputTokens", -1),
                of("outputTokens", -5),
                of("costUsd", -0.01),
                of("costUsd", 2_000_000.0),
                of("latencyMs", -1),
                of("qualityScore", 1.01),
                of("qualityScore", -0.1),
                of("team", ""),
                of("team", "   "),
                of("model", "m".repeat(201)),
                of("provider", "open\u0000ai"),
                of("taskType", "line\nbreak"),
                of("workflow", ""),
                of("user", "u".repeat(500)),
                of("requestId", "r".repeat(201)),
                of("sessionId", ""),
                of("ts", "2099-01-01T00:00:00Z"),
                of("ts", "1999-12-31T23:59:59Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badValuesAreRefusedNamingTheFieldAndStoreNothing(Case bad) {
        String field = bad.field();
        Object value = bad.value();
        long before = storedRecords();
        Map<String, Object> input = Usage.of("2026-06-05T00:00:00Z", "bad", "m", "w", "t", 1.0).set(field, value).map();
        Map<String, Object> response = graphql.run("recordUsage", Map.of("input", input));
        GraphQL.onlyError(response, "BAD_USER_INPUT", field);
        assertNull(response.get("data"), "no result for a refused record");
        // in a batch the same record is rejected by index while its valid neighbour is stored
        Map<String, Object> good = Usage.of("2026-06-05T00:00:00Z", "bad", "m", "w", "t", 1.0).map();
        Map<String, Object> batch = graphql.data("recordUsageBatch", Map.of("inputs", List.of(good, input)));
        assertEquals(1, Json.whole(batch, "recordUsageBatch.accepted"));
        assertEquals(1, Json.whole(batch, "recordUsageBatch.rejected[0].index"));
        assertEquals(field, Json.at(batch, "recordUsageBatch.rejected[0].field"));
        assertEquals(before + 1, storedRecords());
    }

    static Stream<Case> malformedInputs() {
        return Stream.of(
                new Case("ts", "2026-13-01T00:00:00Z", "input"),
                new Case("ts", "2026-06-01T00:00:00", "input"),
                new Case("ts", "yesterday", "input"),
                new Case("costUsd", "cheap", "input"),
                new Case("costUsd", new java.math.BigDecimal("1e999"), "input"),
                new Case("inputTokens", 3_000_000_000L, "input"),
                new Case("inputTokens", 1.5, "input"),
                new Case("team", null, "team"),
                new Case("colour", "red", "colour"));
    }

    /**
     * Values of the wrong type (a date that is not RFC 3339, a string for a number, Infinity) fail GraphQL's own
     * variable coercion before anything runs, so the whole operation is refused, naming the variable or field.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void wronglyTypedValuesRefuseTheWholeOperation(Case bad) {
        String field = bad.field();
        Object value = bad.value();
        String reported = bad.reported();
        long before = storedRecords();
        Map<String, Object> input = Usage.of(null, "malformed", "m", "w", "t", 1.0).map();
        input.put(field, value);
        GraphQL.onlyError(graphql.run("recordUsage", Map.of("input", input)), "BAD_USER_INPUT", reported);
        assertEquals(before, storedRecords());
    }

    @Test
    void unknownArgumentsAreRefused() {
        Map<String, Object> response = graphql.post(
                "mutation { recordUsage(input: {provider: \"p\", model: \"m\", team: \"t\", taskType: \"x\", costUsd: 1}, dryRun: true) { accepted } }",
                Map.of());
        GraphQL.onlyError(response, "BAD_USER_INPUT", "dryRun");
        GraphQL.onlyError(graphql.post("{ costByTeam(days: 7, colour: \"red\") { team } }", Map.of()), "BAD_USER_INPUT", "colour");
    }

    @Test
    void aBodyThatIsNotJsonIsAClientError() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> client.toBlocking()
                .exchange(HttpRequest.POST("/graphql", "{\"query\": ").contentType(MediaType.APPLICATION_JSON_TYPE), String.class));
        assertEquals(400, e.getStatus().getCode());
        String body = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(body.contains("BAD_USER_INPUT"), body);
        Safety.assertNoInternals(body);
    }
}
