package dev.aiusage.support;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Talks to {@code /graphql} over HTTP as a client would, running the named documents in {@code graphql/}. */
public final class GraphQL {
    private final BlockingHttpClient http;
    private final String key;

    public GraphQL(HttpClient client) {
        this(client.toBlocking(), null);
    }

    private GraphQL(BlockingHttpClient http, String key) {
        this.http = http;
        this.key = key;
    }

    /** The same client, sending {@code Authorization: Bearer key}. */
    public GraphQL as(String key) {
        return new GraphQL(http, key);
    }

    /** The whole response body of running document {@code name} with {@code variables}. */
    public Map<String, Object> run(String name, Map<String, ?> variables) {
        return post(document(name), variables);
    }

    /** Posts an inline query, for the cases that are about the query text itself. */
    public Map<String, Object> post(String query, Map<String, ?> variables) {
        return post(query, variables, null);
    }

    /** The same, running the operation named {@code operationName} of a document that holds several. */
    public Map<String, Object> post(String query, Map<String, ?> variables, String operationName) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        if (operationName != null) {
            body.put("operationName", operationName);
        }
        var request = HttpRequest.POST("/graphql", body);
        if (key != null) {
            request.bearerAuth(key);
        }
        return http.retrieve(request, Argument.mapOf(String.class, Object.class));
    }

    /**
     * Waits (at most 30 s) until no in-memory index is loading, as {@code serviceInfo} shows them, so that the reads
     * after it are answered from memory where an index covers them rather than by the rollups in SQL meanwhile;
     * returns each index's state by name.
     */
    public Map<String, String> awaitIndexes() {
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Map<String, String> states = indexStates();
            if (states.values().stream().noneMatch(s -> s.equals("LOADING") || s.equals("NOT_LOADED"))) {
                return states;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("the in-memory indexes did not load within 30 s: " + states);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Each in-memory index's state by name, as {@code serviceInfo} shows them now. */
    public Map<String, String> indexStates() {
        Map<String, String> states = new java.util.LinkedHashMap<>();
        for (Object index : Json.list(inlineData("{ serviceInfo { indexes { name state } } }", Map.of()), "serviceInfo.indexes")) {
            states.put((String) ((Map<?, ?>) index).get("name"), (String) ((Map<?, ?>) index).get("state"));
        }
        return states;
    }

    /** The {@code data} of a response that must have no errors. */
    public Map<String, Object> data(String name, Map<String, ?> variables) {
        return dataOf(run(name, variables));
    }

    /** The {@code data} of an inline query's response, which must have no errors. */
    public Map<String, Object> inlineData(String query, Map<String, ?> variables) {
        return dataOf(post(query, variables));
    }

    private static Map<String, Object> dataOf(Map<String, Object> response) {
        assertNull(response.get("errors"), () -> "unexpected errors: " + response.get("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) response.get("data");
        assertNotNull(data, "no data in " + response);
        return data;
    }

    /** The only error of a response that must fail, with {@code code} and {@code field} in its extensions. */
    public static Map<String, Object> onlyError(Map<String, Object> response, String code, String field) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
        assertNotNull(errors, () -> "expected an error, got " + response);
        assertEquals(1, errors.size(), () -> "expected exactly one error, got " + errors);
        Map<String, Object> error = errors.get(0);
        assertEquals(code, Json.at(error, "extensions.code"), () -> "error " + error);
        assertEquals(field, ((Map<?, ?>) Json.at(error, "extensions")).get("field"), () -> "error " + error);
        Safety.assertNoInternals(String.valueOf(error));
        return error;
    }

    static String document(String name) {
        String path = "graphql/" + name + ".graphql";
        try (InputStream in = GraphQL.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test document " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
