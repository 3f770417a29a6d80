package dev.aiusage.intake;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With keys required, the intake's doors take an INGEST (or ADMIN) key as {@code Authorization: Bearer}: no key is
 * 401, a TEAM or VIEWER key 403, and a TEAM key reads only its own team's failed calls.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.admin-key", value = IntakeAccessTest.ADMIN)
class IntakeAccessTest {
    static final String ADMIN = "intake-admin-secret-0123456789";
    private static final String SPAN_JSON = """
            {"resourceSpans": [{"resource": {"attributes": [{"key": "service.namespace", "value": {"stringValue": "%s"}}]},
              "scopeSpans": [{"scope": {"name": "manual"}, "spans": [{"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
                "name": "chat gpt-4o", "kind": 3, "startTimeUnixNano": "1795683600000000000", "endTimeUnixNano": "1795683601000000000",
                "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                  {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                  {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
                  {"key": "error.type", "value": {"stringValue": "timeout"}}], "status": {"code": 2}}]}]}]}""";

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    EmbeddedServer server;

    private String key(String role, String team) {
        Map<String, Object> variables = new HashMap<>(Map.of("name", role.toLowerCase() + "-key", "role", role));
        variables.put("team", team);
        return (String) Json.at(new GraphQL(client).as(ADMIN).data("createApiKey", variables), "createApiKey.secret");
    }

    private int post(String path, String type, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int get(String path, String key) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theIntakeTakesIngestKeysOnly() throws Exception {
        String ingest = key("INGEST", null);
        String team = key("TEAM", "access-a");
        String viewer = key("VIEWER", null);
        String span = SPAN_JSON.formatted("access-a");
        String litellm = "[]";
        String jsonl = "{\"provider\": \"openai\", \"model\": \"gpt-4o\", \"team\": \"access-b\", \"taskType\": \"chat\", \"costUsd\": 1}\n";
        for (String[] door : List.of(new String[] {"/v1/traces", "application/json", span}, new String[] {"/ingest/litellm", "application/json", litellm},
                new String[] {"/import?format=jsonl", "application/x-ndjson", jsonl})) {
            assertEquals(401, post(door[0], door[1], door[2], null), door[0] + " without a key");
            assertEquals(401, post(door[0], door[1], door[2], "aiu_not_a_key"), door[0] + " with an unknown key");
            assertEquals(403, post(door[0], door[1], door[2], team), door[0] + " with a TEAM key");
            assertEquals(403, post(door[0], door[1], door[2], viewer), door[0] + " with a VIEWER key");
            assertEquals(200, post(door[0], door[1], door[2], ingest), door[0] + " with an INGEST key");
        }
        assertEquals(403, get("/import", ingest), "an INGEST key writes only");
        assertEquals(200, get("/import", viewer));

        // the error span was kept apart as a failure of team access-a
        String failed = "{ failedCalls(from: \"2026-11-01T00:00:00Z\", to: \"2026-12-01T00:00:00Z\") { team errorType calls } }";
        assertEquals(List.of(Map.of("team", "access-a", "errorType", "timeout", "calls", 1)),
                Json.list(new GraphQL(client).as(team).inlineData(failed, Map.of()), "failedCalls"));
        GraphQL.onlyError(new GraphQL(client).as(team).post("{ failedCalls(team: \"access-b\") { calls } }", Map.of()), "FORBIDDEN", "team");
        GraphQL.onlyError(new GraphQL(client).as(ingest).post(failed, Map.of()), "FORBIDDEN", null);
    }
}
