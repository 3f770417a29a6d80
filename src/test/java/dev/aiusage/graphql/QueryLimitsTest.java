package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import graphql.introspection.IntrospectionQuery;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Queries that would hurt everyone are refused before they run, each with its own code; introspection still works. */
@MicronautTest(transactional = false)
class QueryLimitsTest {
    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void theFullIntrospectionQueryOfGraphiQLAndCodegenStillRuns() {
        Map<String, Object> response = new GraphQL(client).post(IntrospectionQuery.INTROSPECTION_QUERY, Map.of());
        assertNull(response.get("errors"), () -> "introspection refused: " + response.get("errors"));
        assertEquals("Query", Json.at(response, "data.__schema.queryType.name"));
    }

    @Test
    void aDeeplyNestedQueryIsRefused() {
        // __schema, types, fields, type, 13 × ofType, name: 18 levels, more than the 15 allowed
        String deep = "{ __schema { types { fields { type { " + "ofType { ".repeat(13) + "name" + " }".repeat(13) + " } } } } }";
        // twice: the second time the parsed document comes from the cache, and the limit must hold all the same
        for (int time = 0; time < 2; time++) {
            Map<String, Object> error = GraphQL.onlyError(new GraphQL(client).post(deep, Map.of()), "QUERY_TOO_DEEP", null);
            assertEquals(15, Json.whole(error, "extensions.limit"));
        }
    }

    @Test
    void aQueryAskingForTooMuchIsRefused() {
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 120; i++) {
            wide.append(" t").append(i).append(": costByTeam(days: 7) { team totalCost requests tokens avgQuality }");
        }
        String query = wide.append(" }").toString();
        for (int time = 0; time < 2; time++) {
            Map<String, Object> error = GraphQL.onlyError(new GraphQL(client).post(query, Map.of()), "QUERY_TOO_COMPLEX", null);
            assertEquals(500, Json.whole(error, "extensions.limit"));
        }
    }

    /**
     * A document's limits are checked once per operation and remembered, so a passing operation must not let
     * another operation of the same document through, nor a variable that switches more fields on.
     */
    @Test
    void aPassedOperationVouchesForNothingElse() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            fields.append(" t").append(i).append(": costByTeam(days: 7) { team totalCost requests tokens avgQuality }");
        }
        String twoOperations = "query Small { serviceInfo { records } } query Wide {" + fields + " }";
        for (int time = 0; time < 2; time++) {
            Map<String, Object> small = new GraphQL(client).post(twoOperations, Map.of(), "Small");
            assertNull(small.get("errors"), () -> "errors: " + small.get("errors"));
            GraphQL.onlyError(new GraphQL(client).post(twoOperations, Map.of(), "Wide"), "QUERY_TOO_COMPLEX", null);
        }
        String conditional = "query($wide: Boolean!) { serviceInfo { records } ... @include(if: $wide) {" + fields + " } }";
        Map<String, Object> narrow = new GraphQL(client).post(conditional, Map.of("wide", false));
        assertNull(narrow.get("errors"), () -> "errors: " + narrow.get("errors"));
        GraphQL.onlyError(new GraphQL(client).post(conditional, Map.of("wide", true)), "QUERY_TOO_COMPLEX", null);
    }

    /** Fifty aliases of a raw scan are refused before any runs; two run. */
    @Test
    void aliasesOfExpensiveReadsAreRefused() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            many.append(" p").append(i).append(": promptInsights(days: 3660) { groups { calls } }");
        }
        Map<String, Object> error = GraphQL.onlyError(new GraphQL(client).post(many.append(" }").toString(), Map.of()),
                "QUERY_TOO_EXPENSIVE", null);
        assertEquals(500, Json.whole(error, "extensions.actual"));
        assertEquals(20, Json.whole(error, "extensions.limit"));
        Map<String, Object> two = new GraphQL(client).post("{ a: promptInsights(days: 7) { groups { calls } } "
                + "b: promptInsights(days: 30) { groups { calls } } }", Map.of());
        assertEquals(null, two.get("errors"), () -> "errors: " + two.get("errors"));
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        String body = "{\"query\": \"{ serviceInfo { records } }\", \"variables\": {\"padding\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}}";
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> client.toBlocking()
                .exchange(HttpRequest.POST("/graphql", body).contentType(MediaType.APPLICATION_JSON_TYPE), String.class));
        assertEquals(413, e.getStatus().getCode());
        Map<?, ?> error = e.getResponse().getBody(Argument.mapOf(String.class, Object.class)).orElseThrow();
        assertEquals("PAYLOAD_TOO_LARGE", Json.at(error, "errors[0].extensions.code"));
        Safety.assertNoInternals(String.valueOf(error));
        // the server keeps serving
        assertEquals(List.of(), Json.list(new GraphQL(client).data("costByTeam", Map.of("days", 1)), "costByTeam"));
    }
}
