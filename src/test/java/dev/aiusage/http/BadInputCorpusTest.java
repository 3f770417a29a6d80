package dev.aiusage.http;

import dev.aiusage.store.RollupRebuilder;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile and broken requests against the live server. Every one gets a clear answer (a client
 * error with a known code, or a correct empty answer), none shows internals, the server keeps serving, and the
 * stored data, rollups included, is exactly as before.
 */
@MicronautTest(transactional = false)
class BadInputCorpusTest {
    private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 405, 413, 415);
    private static final Set<String> CODES = Set.of("BAD_USER_INPUT", "QUERY_TOO_DEEP", "QUERY_TOO_COMPLEX", "QUERY_TOO_EXPENSIVE",
            "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "METHOD_NOT_ALLOWED", "NOT_CONFIGURED", "QUERY_TIMEOUT");
    private static final List<String> HOSTILE = List.of(
            "'; DROP TABLE usage_record; --", "x' OR '1'='1", "Robert'); DELETE FROM rollup_team; --", "%' UNION SELECT * FROM api_key --",
            "\u0000", "tab\there", "line\nbreak", "\u202Eevil", "\u001B[31mred", "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd",
            "x".repeat(100_000), "");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    RollupRebuilder rollups;
    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Test
    void everyHostileRequestGetsAClearAnswerAndChangesNothing() {
        GraphQL graphql = new GraphQL(client);
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(
                Usage.of("2026-10-01T10:00:00Z", "corpus", "m", "wf", "t", 1.5).quality(0.9, true).set("requestId", "corpus-1").map(),
                Usage.of("2026-10-02T10:00:00Z", "other", "m2", null, "t", 0.5).map())));
        graphql.data("upsertPeople", Map.of("people", List.of(Map.of("user", "corpus-person", "displayName", "C", "team", "corpus", "level", "MID"))));
        List<List<Object>> rollupsBefore = rollups.dump();
        Map<String, Object> before = graphql.data("serviceInfo", Map.of());
        Map<String, Object> peopleBefore = graphql.data("people", Map.of());
        Map<String, Object> adoptionBefore = graphql.data("adoption", Map.of("from", "2026-09-01T00:00:00Z", "to", "2026-10-15T00:00:00Z"));

        List<String> failures = new ArrayList<>();
        // bodies that are not the JSON object GraphQL over HTTP asks for, or not JSON at all
        for (String body : List.of("", "{", "[1,2]", "null", "42", "{\"query\": 5}", "{\"query\": \"{\"}", "{\"query\": null}",
                "{\"query\": \"{ serviceInfo { records } }\", \"variables\": [1]}", "\uFEFF{}", "{\"query\": \"" + "{".repeat(5000) + "\"}")) {
            expectClientError(HttpRequest.POST("/graphql", body).contentType(MediaType.APPLICATION_JSON_TYPE), failures);
        }
        // the wrong content types
        for (MediaType type : List.of(MediaType.TEXT_PLAIN_TYPE, MediaType.APPLICATION_XML_TYPE, MediaType.APPLICATION_FORM_URLENCODED_TYPE,
                MediaType.of("application/octet-stream"))) {
            expectClientError(HttpRequest.POST("/graphql", "{\"query\": \"{ serviceInfo { records } }\"}").contentType(type), failures);
        }
        // huge and deeply nested queries
        expectClientError(HttpRequest.POST("/graphql", Map.of("query", "{ " + "serviceInfo { records } ".repeat(20_000) + "}")), failures);
        expectClientError(HttpRequest.POST("/graphql", Map.of("query", "{ serviceInfo " + "{ records ".repeat(300) + "}".repeat(301) + " }")), failures);

        // hostile strings in every filter list of every read, and in every name of a record
        for (String value : HOSTILE) {
            for (String list : List.of("teams", "users", "providers", "models", "workflows", "taskTypes")) {
                for (String query : List.of("costByTeam", "costByWorkflow", "modelEfficiency", "dailyTrend", "substitutionOpportunities", "usageRecords",
                        "promptInsights")) {
                    answerOrRefuse(graphql.run(query, Map.of("filter", Map.of(list, List.of(value)))), query + " " + list + "=" + abbreviate(value), failures);
                }
            }
            for (String field : List.of("provider", "model", "team", "user", "taskType", "workflow", "requestId", "sessionId")) {
                if (value.length() <= 200 && value.chars().noneMatch(Character::isISOControl) && !value.isBlank()) {
                    continue; // a valid name however it looks: it would be stored, as text, and change the data
                }
                Map<String, Object> record = Usage.of("2026-10-03T00:00:00Z", "corpus", "m", "wf", "t", 1).set(field, value).map();
                answerOrRefuse(graphql.run("recordUsage", Map.of("input", record)), "recordUsage " + field + "=" + abbreviate(value), failures);
            }
            boolean validName = value.length() <= 200 && value.chars().noneMatch(Character::isISOControl) && !value.isBlank();
            for (String query : List.of("adoption", "adoptionTrend", "people")) {
                answerOrRefuse(graphql.run(query, Map.of("teams", List.of(value))), query + " teams=" + abbreviate(value), failures);
            }
            answerOrRefuse(graphql.run("powerUsers", Map.of("team", value)), "powerUsers team=" + abbreviate(value), failures);
            if (!validName) {
                for (String field : List.of("user", "displayName", "team")) {
                    Map<String, Object> person = new HashMap<>(Map.of("user", "p", "displayName", "P", "team", "corpus", "level", "MID"));
                    person.put(field, value);
                    answerOrRefuse(graphql.run("upsertPeople", Map.of("people", List.of(person))), "upsertPeople " + field + "=" + abbreviate(value), failures);
                }
                answerOrRefuse(graphql.run("recordAccessEvents", Map.of("events", List.of(Map.of("user", value, "kind", "GRANTED",
                        "at", "2026-10-01T00:00:00Z")))), "recordAccessEvents user=" + abbreviate(value), failures);
                expectClientErrorOrAnswer(HttpRequest.POST("/people/import", "user,display_name,team,level,start_date\n\"" + value.replace("\"", "\"\"")
                        + "\",X,corpus,MID,\n").contentType("text/csv"), failures);
            }
            expectClientErrorOrAnswer(HttpRequest.POST("/people/import", value).contentType("text/csv"), failures);
            expectClientErrorOrAnswer(HttpRequest.POST("/people/access/import", value).contentType("text/csv"), failures);
            answerOrRefuse(graphql.run("dailyTrend", Map.of("timeZone", value)), "dailyTrend timeZone=" + abbreviate(value), failures);
            answerOrRefuse(graphql.run("usageRecords", Map.of("after", value)), "usageRecords after=" + abbreviate(value), failures);
            expectClientErrorOrAnswer(HttpRequest.GET("/usage/team/" + encode(value) + "?days=" + encode(value)), failures);
        }
        // dates, numbers and zones that are not
        for (Object date : List.of("2026-02-30T00:00:00Z", "2026-10-01", "not a date", "2026-10-01T00:00:00+25:00", 1700000000, "")) {
            answerOrRefuse(graphql.run("costByTeam", Map.of("from", date)), "from=" + date, failures);
            answerOrRefuse(graphql.run("weeklyReport", Map.of("weekEnding", date)), "weekEnding=" + date, failures);
            answerOrRefuse(graphql.run("sendWeeklyReport", Map.of("weekEnding", date, "dryRun", true)), "sendWeeklyReport weekEnding=" + date, failures);
            answerOrRefuse(graphql.run("adoption", Map.of("to", date)), "adoption to=" + date, failures);
        }
        for (Object days : List.of(-1, 0, 3661, Integer.MAX_VALUE, "30", 1.5)) {
            answerOrRefuse(graphql.run("costByTeam", Map.of("days", days)), "days=" + days, failures);
            answerOrRefuse(graphql.run("adoptionTrend", Map.of("weeks", days)), "weeks=" + days, failures);
            answerOrRefuse(graphql.run("reportDeliveries", Map.of("first", days)), "first=" + days, failures);
            answerOrRefuse(graphql.run("powerUsers", Map.of("team", "corpus", "limit", days)), "limit=" + days, failures);
        }

        theIssueRows(graphql, failures);

        assertEquals(List.of(), failures);
        // still serving, and nothing changed
        assertEquals(before, graphql.data("serviceInfo", Map.of()));
        assertEquals(rollupsBefore, rollups.dump());
        assertEquals(peopleBefore, graphql.data("people", Map.of()));
        assertEquals(adoptionBefore, graphql.data("adoption", Map.of("from", "2026-09-01T00:00:00Z", "to", "2026-10-15T00:00:00Z")));
        assertEquals(2, Json.list(graphql.data("costByTeam", Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-10-03T00:00:00Z")), "costByTeam").size());
    }

    /**
     * The requests that once stalled, flooded or broke the service (issue 12), each with the exact answer it
     * must now get: the error's code and the argument at fault, or the right answer.
     */
    private void theIssueRows(GraphQL graphql, List<String> failures) {
        Object keysBefore = graphql.data("apiKeys", Map.of());
        // a window from year 1 to 9999 exhausted the heap
        expect(graphql.post("{ dailyTrend(from: \"0001-01-01T00:00:00Z\", to: \"9999-12-31T23:59:59Z\") { day } }", Map.of()),
                "BAD_USER_INPUT", "from", "dailyTrend 0001..9999", failures);
        expect(graphql.post("{ weeklyReport(weekEnding: \"-999999999-01-01T00:00:00Z\") { markdown } }", Map.of()),
                "BAD_USER_INPUT", "weekEnding", "weeklyReport year -999999999", failures);
        // an explicit null means the default, never INTERNAL
        expect(graphql.post("{ a: usageRecords(first: null) { edges { cursor } } b: adoptionTrend(weeks: null) { weekStart } "
                + "c: dailyTrend(days: null, timeZone: null) { day } d: substitutionOpportunities(minSamples: null) { workflow } "
                + "e: powerUsers(team: \"corpus\", limit: null) { team } f: reportDeliveries(first: null) { status } }", Map.of()),
                null, null, "explicit nulls", failures);
        // operations that cannot run
        expect(graphql.post("query A { serviceInfo { records } } query B { serviceInfo { records } }", Map.of()),
                "BAD_USER_INPUT", "operationName", "two operations, no operationName", failures);
        expect(graphql.post("subscription { usageRecorded { id } }", Map.of()), "BAD_USER_INPUT", "query", "subscription", failures);
        expectRaw("POST", "{\"query\":\"query A { serviceInfo { records } }\",\"operationName\":\"B\"}", "application/json", null,
                200, "BAD_USER_INPUT", "operationName", failures);
        for (String name : List.of("5", "true", "[\"A\"]", "{}")) {
            expectRaw("POST", "{\"query\":\"{ serviceInfo { records } }\",\"operationName\":" + name + "}", "application/json", null,
                    400, "BAD_USER_INPUT", "operationName", failures);
        }
        expectRaw("POST", "{\"query\":\"{ serviceInfo { records } }\"}", "application/json; charset=x-bogus", null,
                415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type", failures);
        expectRaw("POST", "{\"query\":\"{ serviceInfo { records } }\"}", "text/plain", null,
                415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type", failures);
        // a missing required input field is named, and the input is not echoed
        Map<String, Object> missing = graphql.post("mutation { recordUsage(input: {provider: \"echo-check\"}) { accepted } }", Map.of());
        expect(missing, "BAD_USER_INPUT", "input", "missing input fields", failures);
        if (String.valueOf(missing).contains("echo-check") || String.valueOf(missing).contains("ObjectValue")) {
            failures.add("missing input fields: the input is echoed: " + missing);
        }
        // the GraphQL over HTTP media type: an answer with data is 200; a document that does not validate is 400 without data
        expectRaw("POST", "{\"query\":\"{ serviceInfo { records } }\"}", "application/json", "application/graphql-response+json",
                200, null, null, failures);
        expectRaw("POST", "{\"query\":\"{ serviceInfo { nothing } }\"}", "application/json", "application/graphql-response+json",
                400, "BAD_USER_INPUT", null, failures);
        // a mutation by GET runs nothing
        expectRaw("GET", "mutation { createApiKey(name: \"img-tag\", role: ADMIN) { secret } }", null, null,
                405, "METHOD_NOT_ALLOWED", null, failures);
        expectRaw("GET", "mutation { rebuildRollups { records } }", null, null, 405, "METHOD_NOT_ALLOWED", null, failures);
        // fifty aliases of the dearest read are refused before anything runs
        StringBuilder aliases = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            aliases.append(" p").append(i).append(": promptInsights(days: 3660) { from }");
        }
        expect(graphql.post(aliases.append(" }").toString(), Map.of()), "QUERY_TOO_EXPENSIVE", null, "50 aliases", failures);
        assertEquals(keysBefore, graphql.data("apiKeys", Map.of()), "no key was created by GET");
    }

    /** A GraphQL answer with exactly one error of {@code code} naming {@code field}; with no code, an answer without errors. */
    private static void expect(Map<String, Object> response, String code, String field, String label, List<String> failures) {
        Safety.assertNoInternals(String.valueOf(response.get("errors")));
        List<?> errors = (List<?>) response.get("errors");
        if (code == null) {
            if (errors != null) {
                failures.add(label + ": unexpected errors " + errors);
            }
            return;
        }
        if (errors == null || errors.size() != 1) {
            failures.add(label + ": expected one " + code + " error, got " + response);
            return;
        }
        Map<?, ?> extensions = (Map<?, ?>) ((Map<?, ?>) errors.get(0)).get("extensions");
        if (!code.equals(extensions.get("code")) || (field != null && !field.equals(extensions.get("field")))) {
            failures.add(label + ": expected " + code + " on " + field + ", got " + errors.get(0));
        }
    }

    /** Sends a request as it is and checks its status, its error (or absence of one) and that it shows no internals. */
    private void expectRaw(String method, String body, String contentType, String accept, int status, String code, String field,
                           List<String> failures) {
        try {
            java.net.URI uri = server.getURI().resolve("/graphql" + ("GET".equals(method) ? "?query=" + encode(body) : ""));
            var request = java.net.http.HttpRequest.newBuilder(uri);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (accept != null) {
                request.header("Accept", accept);
            }
            request.method(method, "GET".equals(method) ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            var response = java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            String label = method + " " + abbreviate(body) + " (" + contentType + ", accept " + accept + ")";
            if (response.statusCode() != status) {
                failures.add(label + ": HTTP " + response.statusCode() + " " + response.body());
                return;
            }
            if (accept != null && !response.headers().firstValue("Content-Type").orElse("").startsWith(accept)) {
                failures.add(label + ": answered as " + response.headers().firstValue("Content-Type").orElse(null));
            }
            Map<String, Object> parsed = Json.parse(response.body());
            expect(parsed, code, field, label, failures);
            if (code != null && accept != null && parsed.containsKey("data")) {
                failures.add(label + ": a request error has a data entry");
            }
        } catch (java.io.IOException | InterruptedException e) {
            failures.add(method + " " + abbreviate(body) + ": " + e);
        }
    }

    /** A GraphQL answer: data without errors, or errors that each carry a known code and no internals. */
    private static void answerOrRefuse(Map<String, Object> response, String label, List<String> failures) {
        Safety.assertNoInternals(String.valueOf(response.get("errors")));
        Object errors = response.get("errors");
        if (errors == null) {
            return;
        }
        for (Object error : (List<?>) errors) {
            Object code = ((Map<?, ?>) ((Map<?, ?>) error).get("extensions")).get("code");
            if (!CODES.contains(code)) {
                failures.add(label + ": code " + code + " in " + error);
            }
        }
    }

    private void expectClientError(MutableHttpRequest<?> request, List<String> failures) {
        try {
            HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
            String body = response.body();
            if (body == null || !body.contains("\"errors\"")) {
                failures.add(request.getMethod() + " " + abbreviate(String.valueOf(request.getBody().map(Object::toString).orElse(""))) + ": answered " + response.getStatus().getCode() + " without errors");
            }
            Safety.assertNoInternals(String.valueOf(body));
        } catch (HttpClientResponseException e) {
            String label = abbreviate(String.valueOf(request.getBody().map(Object::toString).orElse(""))) + " (" + request.getContentType().orElse(null) + ")";
            if (!CLIENT_ERRORS.contains(e.getStatus().getCode())) {
                failures.add(label + ": HTTP " + e.getStatus().getCode());
            }
            String body = e.getResponse().getBody(String.class).orElse("");
            Safety.assertNoInternals(body);
            Object code = body.startsWith("{") ? Json.at(Json.parse(body), "errors[0].extensions.code") : null;
            if (!CODES.contains(code)) {
                failures.add(label + ": HTTP " + e.getStatus().getCode() + " without a known code: " + abbreviate(body));
            }
        }
    }

    private void expectClientErrorOrAnswer(MutableHttpRequest<?> request, List<String> failures) {
        try {
            client.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            if (!CLIENT_ERRORS.contains(e.getStatus().getCode()) && e.getStatus().getCode() != 404) {
                failures.add(abbreviate(request.getPath()) + ": HTTP " + e.getStatus().getCode());
            }
            // Micronaut's 404 (a ';' in a path defeats route matching) echoes the request's own URL in
            // _links.self: the client's text, not ours, so only the rest of the body is checked
            Safety.assertNoInternals(e.getResponse().getBody(String.class).orElse("").replaceAll("\"href\":\"[^\"]*\"", "\"href\":\"\""));
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "…(" + value.length() + ")" : printable;
    }
}
