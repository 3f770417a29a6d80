package dev.aiusage.access;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With an admin key configured, every request needs a key; roles limit what each key does, and a TEAM key sees
 * its own team at every entry point and is refused, not shown an empty answer, when it asks for another.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.admin-key", value = AccessTest.ADMIN)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {
    static final String ADMIN = "test-admin-secret-0123456789";
    static final String FROM = "2026-02-01T00:00:00Z";
    static final String TO = "2026-03-01T00:00:00Z";

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL admin;
    String alphaKey;
    String ingestKey;
    String viewerKey;

    @BeforeAll
    void load() {
        admin = new GraphQL(client).as(ADMIN);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(Usage.of("2026-02-10T10:00:00Z", "alpha", "m-alpha", "alpha-wf", "t", 1.0).quality(0.9, true).map());
        }
        records.add(Usage.of("2026-02-11T10:00:00Z", "beta", "m-beta", "beta-wf", "t", 50.0).quality(0.8, false).map());
        assertEquals(4, Json.whole(admin.data("recordUsageBatch", Map.of("inputs", records)), "recordUsageBatch.accepted"));
        alphaKey = create("alpha dashboard", "TEAM", "alpha");
        ingestKey = create("collector", "INGEST", null);
        viewerKey = create("finance", "VIEWER", null);
    }

    private String create(String name, String role, String team) {
        Map<String, Object> variables = new HashMap<>(Map.of("name", name, "role", role));
        variables.put("team", team);
        Map<String, Object> data = admin.data("createApiKey", variables);
        String secret = (String) Json.at(data, "createApiKey.secret");
        assertTrue(secret.startsWith("aiu_") && secret.length() > 40, secret);
        assertEquals(secret.substring(0, 10), Json.at(data, "createApiKey.key.prefix"));
        return secret;
    }

    private Map<String, Object> window(Map<String, Object> more) {
        Map<String, Object> variables = new HashMap<>(more);
        variables.put("from", FROM);
        variables.put("to", TO);
        return variables;
    }

    private int status(MutableHttpRequest<?> request) {
        try {
            client.toBlocking().exchange(request, String.class);
            return 200;
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void withoutAValidKeyNothingIsServedButGraphiQL() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> new GraphQL(client).run("costByTeam", window(Map.of())));
        assertEquals(401, e.getStatus().getCode());
        assertEquals("UNAUTHENTICATED", Json.at(e.getResponse().getBody(Argument.mapOf(String.class, Object.class)).orElseThrow(),
                "errors[0].extensions.code"));
        assertEquals(401, assertThrows(HttpClientResponseException.class,
                () -> new GraphQL(client).as("aiu_not-a-key").run("serviceInfo", Map.of())).getStatus().getCode());
        assertEquals(401, status(HttpRequest.GET("/usage/report")));
        assertEquals(401, status(HttpRequest.GET("/usage/team/alpha").bearerAuth("wrong")));
        assertEquals(200, status(HttpRequest.GET("/graphiql")));
    }

    @Test
    void keysAreListedWithoutSecretsAndRevokedKeysStopWorking() {
        String temporary = create("temporary", "VIEWER", null);
        Map<String, Object> response = admin.run("apiKeys", Map.of());
        assertFalse(String.valueOf(response).contains(temporary.substring(10)), "a listing must not show secrets");
        List<?> keys = Json.list(response, "data.apiKeys");
        Object listed = keys.stream().filter(k -> "temporary".equals(Json.at(k, "name"))).findFirst().orElseThrow();
        assertNull(Json.at(listed, "revokedAt"));
        assertEquals(Map.of("role", "ADMIN", "open", false), withoutNull(Json.at(response, "data.currentAccess")));

        assertEquals(200, status(HttpRequest.GET("/usage/report").bearerAuth(temporary)));
        Map<String, Object> revoked = admin.data("revokeApiKey", Map.of("id", Json.at(listed, "id")));
        assertTrue(Json.at(revoked, "revokeApiKey.revokedAt") instanceof String);
        assertEquals(401, status(HttpRequest.GET("/usage/report").bearerAuth(temporary)));
        GraphQL.onlyError(admin.run("revokeApiKey", Map.of("id", "999999")), "BAD_USER_INPUT", "id");
    }

    @Test
    void keyCreationChecksRoleAndTeam() {
        GraphQL.onlyError(admin.run("createApiKey", Map.of("name", "x", "role", "TEAM")), "BAD_USER_INPUT", "team");
        GraphQL.onlyError(admin.run("createApiKey", Map.of("name", "x", "role", "VIEWER", "team", "alpha")), "BAD_USER_INPUT", "team");
        GraphQL.onlyError(admin.run("createApiKey", Map.of("name", "", "role", "VIEWER")), "BAD_USER_INPUT", "name");
        for (String key : List.of(alphaKey, ingestKey, viewerKey)) {
            GraphQL.onlyError(new GraphQL(client).as(key).run("createApiKey", Map.of("name", "x", "role", "ADMIN")), "FORBIDDEN", null);
            GraphQL.onlyError(new GraphQL(client).as(key).run("apiKeys", Map.of()), "FORBIDDEN", null);
            GraphQL.onlyError(new GraphQL(client).as(key).run("rebuildRollups", Map.of()), "FORBIDDEN", null);
        }
    }

    @Test
    void anIngestKeyOnlyRecords() {
        GraphQL ingest = new GraphQL(client).as(ingestKey);
        assertEquals(1, Json.whole(ingest.data("recordUsage", Map.of("input", Usage.of("2026-01-01T00:00:00Z", "gamma", "m", null, "t", 1).map())),
                "recordUsage.accepted"));
        for (String query : List.of("costByTeam", "usageRecords", "weeklyReport", "serviceInfo")) {
            GraphQL.onlyError(ingest.run(query, Map.of()), "FORBIDDEN", null);
        }
        assertEquals(403, status(HttpRequest.GET("/usage/report").bearerAuth(ingestKey)));
    }

    @Test
    void aViewerReadsEveryTeamAndWritesNothing() {
        GraphQL viewer = new GraphQL(client).as(viewerKey);
        List<?> teams = Json.list(viewer.data("costByTeam", window(Map.of())), "costByTeam");
        assertEquals(List.of("beta", "alpha"), teams.stream().map(t -> Json.at(t, "team")).toList());
        GraphQL.onlyError(viewer.run("recordUsage", Map.of("input", Usage.of(null, "alpha", "m", null, "t", 1).map())), "FORBIDDEN", null);
    }

    @Test
    void aTeamKeySeesItsOwnTeamAtEveryEntryPoint() {
        GraphQL alpha = new GraphQL(client).as(alphaKey);
        Map<String, Object> all = window(Map.of());
        List<?> teams = Json.list(alpha.data("costByTeam", all), "costByTeam");
        assertEquals(1, teams.size());
        assertEquals("alpha", Json.at(teams.get(0), "team"));
        assertEquals(3.0, Json.number(teams.get(0), "totalCost"), 1e-9);
        assertEquals(List.of("alpha-wf"), Json.list(alpha.data("costByWorkflow", all), "costByWorkflow").stream().map(r -> Json.at(r, "workflow")).toList());
        assertEquals(List.of("m-alpha"), Json.list(alpha.data("modelEfficiency", all), "modelEfficiency").stream().map(r -> Json.at(r, "model")).toList());
        double trendCost = Json.list(alpha.data("dailyTrend", all), "dailyTrend").stream().mapToDouble(d -> Json.number(d, "cost")).sum();
        assertEquals(3.0, trendCost, 1e-9);
        Map<String, Object> usage = alpha.data("usage", all);
        assertEquals(List.of("alpha"), Json.list(usage, "usage.rows").stream().map(r -> Json.at(r, "team")).distinct().toList());
        assertEquals(3.0, Json.number(usage, "usage.total.cost"), 1e-9);
        assertEquals(List.of(), Json.list(alpha.data("substitutionOpportunities", window(Map.of("minSamples", 1))), "substitutionOpportunities"));
        List<?> records = Json.list(alpha.data("usageRecords", Map.of("first", 100)), "usageRecords.edges");
        assertEquals(3, records.size());
        records.forEach(r -> assertEquals("alpha", Json.at(r, "node.team")));
        String report = (String) Json.at(alpha.data("weeklyReport", Map.of("weekEnding", "2026-02-15T00:00:00Z")), "weeklyReport.markdown");
        assertTrue(report.contains("- alpha: $3.00"), report);
        assertFalse(report.contains("beta"), report);
        Map<String, Object> info = alpha.data("serviceInfo", Map.of());
        assertEquals(3, Json.whole(info, "serviceInfo.records"));
        assertEquals("2026-02-10T10:00:00.000Z", Json.at(info, "serviceInfo.oldestRecord"));
        assertEquals("2026-02-10T10:00:00.000Z", Json.at(info, "serviceInfo.newestRecord"));

        // asking for another team is refused, wherever it is asked
        Map<String, Object> beta = window(Map.of("filter", Map.of("teams", List.of("beta"))));
        for (String query : List.of("costByTeam", "costByWorkflow", "modelEfficiency", "dailyTrend", "substitutionOpportunities", "usageRecords", "usage")) {
            GraphQL.onlyError(alpha.run(query, beta), "FORBIDDEN", "filter.teams");
        }
        GraphQL.onlyError(alpha.run("costByTeam", window(Map.of("filter", Map.of("teams", List.of("alpha", "beta"))))), "FORBIDDEN", "filter.teams");
        assertEquals(403, status(HttpRequest.GET("/usage/team/beta").bearerAuth(alphaKey)));
        assertEquals(200, status(HttpRequest.GET("/usage/team/alpha").bearerAuth(alphaKey)));
        String restReport = (String) client.toBlocking().retrieve(HttpRequest.GET("/usage/report").bearerAuth(alphaKey),
                Argument.mapOf(String.class, Object.class)).get("report");
        assertFalse(restReport.contains("beta"), restReport);
        GraphQL.onlyError(alpha.run("recordUsage", Map.of("input", Usage.of(null, "alpha", "m", null, "t", 1).map())), "FORBIDDEN", null);
        assertEquals(Map.of("role", "TEAM", "team", "alpha", "open", false),
                Json.at(alpha.post("{ currentAccess { role team open } }", Map.of()), "data.currentAccess"));
    }

    /**
     * Report deliveries and tickets cover every team: a TEAM key may neither read nor trigger them, a VIEWER
     * reads them, only ADMIN sends. Without a webhook or tracker configured a send is refused with
     * NOT_CONFIGURED naming the setting, while a dry run still shows the payload.
     */
    @Test
    void deliveriesAndTicketsAreCompanyWide() {
        GraphQL alpha = new GraphQL(client).as(alphaKey);
        for (String document : List.of("reportDeliveries", "reportSchedule", "substitutionTickets", "sendWeeklyReport", "fileSubstitutionTickets")) {
            GraphQL.onlyError(alpha.run(document, Map.of()), "FORBIDDEN", null);
        }
        GraphQL viewer = new GraphQL(client).as(viewerKey);
        assertEquals(List.of(), Json.list(viewer.data("reportDeliveries", Map.of()), "reportDeliveries"));
        assertEquals(List.of(), Json.list(viewer.data("substitutionTickets", Map.of()), "substitutionTickets"));
        assertEquals(Map.of("enabled", false, "cron", "0 9 * * MON", "timeZone", "UTC", "destinations", List.of()),
                withoutNull(Json.at(viewer.data("reportSchedule", Map.of()), "reportSchedule")));
        GraphQL.onlyError(viewer.run("sendWeeklyReport", Map.of("dryRun", true)), "FORBIDDEN", null);
        GraphQL.onlyError(viewer.run("fileSubstitutionTickets", Map.of("dryRun", true)), "FORBIDDEN", null);

        Map<String, Object> send = GraphQL.onlyError(admin.run("sendWeeklyReport", Map.of("weekEnding", "2026-02-15T00:00:00Z")), "NOT_CONFIGURED", null);
        assertEquals("aiusage.report.slack.webhook-url", Json.at(send, "extensions.setting"));
        String payload = (String) Json.at(admin.data("sendWeeklyReport", Map.of("weekEnding", "2026-02-15T00:00:00Z", "dryRun", true)),
                "sendWeeklyReport.payload");
        assertTrue(payload.startsWith("{\"text\":\"*AI usage report: the 7 days to Sun 15 Feb 2026 00:00 UTC*"), payload);
        GraphQL.onlyError(admin.run("fileSubstitutionTickets", Map.of()), "NOT_CONFIGURED", null);
        Map<String, Object> dryRun = admin.data("fileSubstitutionTickets", Map.of("dryRun", true));
        assertEquals(List.of(), Json.list(dryRun, "fileSubstitutionTickets.destinations"));
        assertEquals(List.of(), Json.list(dryRun, "fileSubstitutionTickets.drafts"));
        assertEquals(List.of(), Json.list(admin.data("reportDeliveries", Map.of()), "reportDeliveries"));
        GraphQL.onlyError(admin.run("reportDeliveries", Map.of("first", 0)), "BAD_USER_INPUT", "first");
    }

    private static Map<?, ?> withoutNull(Object map) {
        Map<Object, Object> copy = new HashMap<>((Map<?, ?>) map);
        copy.values().removeIf(v -> v == null);
        return copy;
    }
}
