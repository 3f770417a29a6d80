package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.SlowReads;
import dev.aiusage.support.Usage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request path: reads run off the event loop (a slow read does not hold up a request that reads nothing,
 * nor an ingest batch), a mutation never runs from GET, an explicit null means the default, and windows and
 * instants are bounded before any work.
 */
@MicronautTest(transactional = false)
class RequestPathTest {
    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> transactions;

    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Inject
    @jakarta.inject.Named("default")
    io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration datasource;

    /** Operations that cannot run are client errors that name the argument, never INTERNAL. */
    @Test
    void operationsThatCannotRunAreClientErrors() throws Exception {
        GraphQL graphql = new GraphQL(client);
        String two = "query A { currentAccess { role } } query B { currentAccess { role } }";
        GraphQL.onlyError(raw("{\"query\":\"query A { currentAccess { role } }\",\"operationName\":\"B\"}", "application/json", 200),
                "BAD_USER_INPUT", "operationName");
        GraphQL.onlyError(graphql.post(two, Map.of()), "BAD_USER_INPUT", "operationName");
        GraphQL.onlyError(raw("{\"query\":\"{ currentAccess { role } }\",\"operationName\":5}", "application/json", 400),
                "BAD_USER_INPUT", "operationName");
        GraphQL.onlyError(graphql.post("subscription { usageRecorded { id } }", Map.of()), "BAD_USER_INPUT", "query");
        GraphQL.onlyError(raw("{\"query\":\"{ currentAccess { role } }\"}", "application/json; charset=x-bogus", 415),
                "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
        GraphQL.onlyError(raw("{\"query\":\"{ currentAccess { role } }\"}", "text/plain", 415), "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
        Map<String, Object> missing = GraphQL.onlyError(graphql.post("mutation { recordUsage(input: {ts: \"2026-11-20T09:00:00Z\", "
                + "provider: \"provider-echo-check\"}) { accepted } }", Map.of()), "BAD_USER_INPUT", "input");
        String message = (String) missing.get("message");
        assertTrue(message.contains("missing required fields") && message.contains("model"), message);
        assertFalse(message.contains("ObjectValue") || message.contains("provider-echo-check"), () -> "echoes the input: " + message);
        assertEquals("ADMIN", Json.at(raw("{\"query\":\"" + two + "\",\"operationName\":\"B\"}", "application/json", 200),
                "data.currentAccess.role"), "a named operation of several runs");
    }

    /** Posts {@code body} as it is, with {@code contentType}, and returns the parsed answer after checking its status. */
    private Map<String, Object> raw(String body, String contentType, int status) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/graphql")).header("Content-Type", contentType)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), () -> "body: " + response.body());
        return Json.parse(response.body());
    }

    @Test
    void aMutationSentWithGetIsRefusedWith405AndRunsNothing() {
        String mutation = "mutation { createApiKey(name: \"from a link\", role: VIEWER) { secret } }";
        HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET(UriBuilder.of("/graphql").queryParam("query", mutation).build()),
                        Map.class));
        assertEquals(HttpStatus.METHOD_NOT_ALLOWED, refused.getStatus());
        assertEquals("POST", refused.getResponse().getHeaders().get("Allow"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = refused.getResponse().getBody(Map.class).orElseThrow();
        GraphQL.onlyError(body, "METHOD_NOT_ALLOWED", null);
        assertEquals(List.of(), Json.list(new GraphQL(client).post("{ apiKeys { id } }", Map.of()), "data.apiKeys"), "the key was created");

        // a query by GET still answers
        HttpResponse<Map> query = client.toBlocking().exchange(
                HttpRequest.GET(UriBuilder.of("/graphql").queryParam("query", "{ currentAccess { role } }").build()), Map.class);
        assertEquals(HttpStatus.OK, query.getStatus());
    }

    @Test
    void anExplicitNullMeansTheArgumentsDefault() {
        GraphQL graphql = new GraphQL(client);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(Usage.of(java.time.Instant.now().minusSeconds(3600 + i).toString(), "nulls", "m", "wf", "t", 0.01)
                    .set("requestId", "null-default-" + i).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", batch));
        Map<String, Object> nulls = graphql.post("query ($first: Int, $zone: String, $days: Int) { usageRecords(first: $first, "
                + "filter: {teams: [\"nulls\"]}) { edges { cursor } } dailyTrend(days: $days, timeZone: $zone, filter: {teams: [\"nulls\"]}) "
                + "{ day requests } }", new java.util.HashMap<>(java.util.Map.of()) {{
                    put("first", null);
                    put("zone", null);
                    put("days", null);
                }});
        assertFalse(nulls.containsKey("errors"), () -> "errors: " + nulls.get("errors"));
        assertEquals(50, Json.list(nulls, "data.usageRecords.edges").size(), "first: null must mean the default 50");
        Map<String, Object> defaults = graphql.post("{ dailyTrend(filter: {teams: [\"nulls\"]}) { day requests } }", Map.of());
        assertEquals(Json.at(defaults, "data.dailyTrend"), Json.at(nulls, "data.dailyTrend"),
                "days: null and timeZone: null must mean 30 days in UTC");
    }

    @Test
    void windowsAndInstantsAreBoundedBeforeAnyWork() {
        GraphQL graphql = new GraphQL(client);
        Map<String, Object> all = graphql.post("{ dailyTrend(from: \"0001-01-01T00:00:00Z\", to: \"9999-12-31T23:59:59Z\") { day } }", Map.of());
        GraphQL.onlyError(all, "BAD_USER_INPUT", "from");
        Map<String, Object> wide = graphql.post("{ dailyTrend(from: \"2000-01-01T00:00:00Z\", to: \"2020-01-01T00:00:00Z\") { day } }", Map.of());
        GraphQL.onlyError(wide, "BAD_USER_INPUT", "from");
        Map<String, Object> widest = graphql.post("{ dailyTrend(from: \"2000-01-01T00:00:00Z\", to: \"2010-01-08T00:00:00Z\") { day } }", Map.of());
        assertFalse(widest.containsKey("errors"), () -> "a window of 3,660 days is allowed: " + widest.get("errors"));
        assertEquals(3660, Json.list(widest, "data.dailyTrend").size());
        Map<String, Object> ancient = graphql.post("{ weeklyReport(weekEnding: \"-999999999-01-01T00:00:00Z\") { weekStart } }", Map.of());
        GraphQL.onlyError(ancient, "BAD_USER_INPUT", "weekEnding");
        assertEquals("ADMIN", Json.at(graphql.post("{ currentAccess { role } }", Map.of()), "data.currentAccess.role"), "the server still answers");
    }

    /**
     * Four slow reads (a page filtered by 1,000 user names over 200,000 records, a full scan each) are sent
     * at once; then a request that reads nothing and an ingest batch. Both answer while the slow reads are
     * still running: the event loop is free, and ingest has threads of its own.
     */
    @Test
    void slowReadsHoldUpNeitherOtherRequestsNorIngest() throws Exception {
        SlowReads.insert(transactions, "slow", 200_000, 2);
        GraphQL graphql = new GraphQL(client);
        ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> slow = new ArrayList<>();
        try (AutoCloseable held = SlowReads.holdBack(datasource)) {
            for (int i = 0; i < 4; i++) {
                slow.add(CompletableFuture.runAsync(() -> {
                    graphql.post(SlowReads.PAGE, Map.of("f", Map.of("users", SlowReads.NOBODY)));
                    finished.add("slow");
                }));
            }
            Thread.sleep(300);
            assertEquals("ADMIN", Json.at(graphql.post("{ currentAccess { role } }", Map.of()), "data.currentAccess.role"));
            finished.add("currentAccess");
            Map<String, Object> ingest = graphql.data("recordUsageBatch", Map.of("inputs",
                    List.of(Usage.of(java.time.Instant.now().minusSeconds(60).toString(), "slow", "m", "wf", "t", 0.01).map())));
            assertEquals(1, Json.whole(ingest, "recordUsageBatch.accepted"));
            finished.add("ingest");
        }
        CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get();
        List<String> order = List.copyOf(finished);
        assertTrue(order.indexOf("currentAccess") < order.indexOf("slow") && order.indexOf("ingest") < order.indexOf("slow"),
                () -> "order of answers: " + order);
    }
}
