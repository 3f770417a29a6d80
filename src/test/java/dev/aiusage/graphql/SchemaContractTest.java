package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract dashboards are written against, read back through introspection as GraphiQL and codegen do. */
@MicronautTest(transactional = false)
class SchemaContractTest {
    private static final Set<String> BUILT_IN = Set.of("String", "Int", "Float", "Boolean", "ID");

    @Inject
    @Client("/")
    HttpClient client;

    private List<?> types() {
        return Json.list(new GraphQL(client).data("introspection", Map.of()), "__schema.types");
    }

    @Test
    void everyTypeAndFieldIsDescribed() {
        List<String> missing = new ArrayList<>();
        for (Object type : types()) {
            String name = (String) Json.at(type, "name");
            if (name.startsWith("__") || BUILT_IN.contains(name)) {
                continue;
            }
            if (blank(Json.at(type, "description"))) {
                missing.add(name);
            }
            for (String list : List.of("fields", "inputFields")) {
                Object fields = Json.at(type, list);
                if (fields != null) {
                    for (Object field : (List<?>) fields) {
                        if (blank(Json.at(field, "description"))) {
                            missing.add(name + "." + Json.at(field, "name"));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "types and fields without a description");
    }

    /** Every argument of every field is described, as client generators and GraphiQL's docs show it. */
    @Test
    void everyArgumentIsDescribed() {
        List<String> missing = new ArrayList<>();
        Map<String, Object> schema = new GraphQL(client).data("introspectionArguments", Map.of());
        for (Object type : Json.list(schema, "__schema.types")) {
            Object fields = Json.at(type, "fields");
            if (fields == null || String.valueOf(Json.at(type, "name")).startsWith("__")) {
                continue;
            }
            for (Object field : (List<?>) fields) {
                for (Object argument : (List<?>) Json.at(field, "args")) {
                    if (blank(Json.at(argument, "description"))) {
                        missing.add(Json.at(type, "name") + "." + Json.at(field, "name") + "(" + Json.at(argument, "name") + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "arguments without a description");
    }

    @Test
    void theFixedNamesArePresent() {
        Map<String, List<String>> fields = new java.util.HashMap<>();
        for (Object type : types()) {
            Object list = Json.at(type, "fields");
            if (list != null) {
                fields.put((String) Json.at(type, "name"), ((List<?>) list).stream().map(f -> (String) Json.at(f, "name")).toList());
            }
        }
        assertTrue(fields.get("Query").containsAll(List.of("usageRecords", "costByTeam", "costByWorkflow", "modelEfficiency",
                "dailyTrend", "substitutionOpportunities", "weeklyReport")), () -> "Query: " + fields.get("Query"));
        assertTrue(fields.get("Mutation").containsAll(List.of("recordUsage", "recordUsageBatch")));
        assertEquals(List.of("team", "totalCost", "requests", "tokens", "avgQuality", "unpricedRequests"), fields.get("TeamCost"));
        assertEquals(List.of("workflow", "taskType", "model", "totalCost", "requests", "avgCostPerCall", "avgLatencyMs",
                "avgQuality", "passRate", "unpricedRequests"), fields.get("WorkflowCost"));
        assertEquals(List.of("model", "totalCost", "avgCost", "avgLatencyMs", "avgQuality", "requests"), fields.get("ModelEfficiency"));
        assertEquals(List.of("day", "cost", "requests", "activeTeams", "unpricedRequests"), fields.get("DailyTrend"));
        assertEquals(List.of("workflow", "taskType", "currentModel", "betterModel", "qualityDiff", "costRatio",
                "estMonthlySavings", "currentRequests", "currentSamples", "betterSamples", "statistics", "verdict"),
                fields.get("SubstitutionOpportunity"));
        assertEquals(List.of("weekStart", "weekEnd", "markdown"), fields.get("WeeklyReport"));
        assertEquals(List.of("accepted", "duplicates", "rejected"), fields.get("RecordUsageResult"));
        assertEquals(List.of("index", "requestId", "field", "message"), fields.get("RejectedUsage"));
    }

    private static boolean blank(Object description) {
        return description == null || ((String) description).isBlank();
    }
}
