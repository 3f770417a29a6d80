package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TEAM key's adoption figures count its team's calls only: a member who also calls under another team
 * does not carry that team's calls and cost into this team's picture. Ann of team alpha makes 3 calls of
 * $0.10 under alpha and 7 under beta; alpha's key sees 3 calls and $0.30, an unscoped reader all 10.
 */
@MicronautTest(transactional = false)
class AdoptionScopeTest {
    private static final Map<String, Object> WINDOW = Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-10-29T00:00:00Z");

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void aTeamKeyCountsOnlyItsTeamsCallsOfAMember() {
        GraphQL admin = new GraphQL(client);
        Map<String, Object> ann = new HashMap<>(Map.of("user", "ann", "displayName", "Ann", "team", "alpha", "level", "MID"));
        ann.put("startDate", "2020-01-01");
        assertEquals(1, Json.whole(admin.data("upsertPeople", Map.of("people", List.of(ann))), "upsertPeople.accepted"));
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(Usage.of("2026-10-1" + i + "T10:00:00Z", i < 3 ? "alpha" : "beta", "m", "wf", "t", 0.1)
                    .set("user", "ann").set("requestId", "scope-" + i).map());
        }
        assertEquals(10, Json.whole(admin.data("recordUsageBatch", Map.of("inputs", records)), "recordUsageBatch.accepted"));
        String query = "query ($from: DateTime, $to: DateTime) { adoption(from: $from, to: $to) { people { user calls cost } } }";
        // unscoped (open mode, before any key exists): every call of ann's
        Map<?, ?> everywhere = (Map<?, ?>) Json.list(admin.post(query, WINDOW), "data.adoption.people").stream()
                .filter(p -> "ann".equals(Json.at(p, "user"))).findFirst().orElseThrow();
        assertEquals(10, Json.whole(everywhere, "calls"));

        String secret = (String) Json.at(admin.data("createApiKey", Map.of("name", "alpha lead", "role", "TEAM", "team", "alpha")),
                "createApiKey.secret");
        List<?> scoped = Json.list(new GraphQL(client).as(secret).post(query, WINDOW), "data.adoption.people");
        assertEquals(1, scoped.size());
        assertEquals(3, Json.whole(scoped.get(0), "calls"));
        assertEquals(0.3, Json.number(scoped.get(0), "cost"), 1e-9);
    }
}
