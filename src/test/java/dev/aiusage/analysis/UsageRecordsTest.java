package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Keyset pages of usageRecords, newest first. Record i costs i dollars; records 3 and 4 share a timestamp, so
 * the order is 7, 6, 5, 4, 3, 2, 1 (4 was stored after 3 and comes first).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageRecordsTest {
    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        List<String> ts = List.of("2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z", "2026-07-03T00:00:00Z",
                "2026-07-03T00:00:00Z", "2026-07-04T00:00:00Z", "2026-07-05T00:00:00Z", "2026-07-06T00:00:00Z");
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            records.add(Usage.of(ts.get(i), "pages", "m", null, "t", i + 1).map());
        }
        records.add(Usage.of(Instant.now().minus(1, ChronoUnit.HOURS).toString(), "recent", "m", null, "t", 99).map());
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    private Map<String, Object> page(Integer first, String after, Map<String, Object> more) {
        Map<String, Object> variables = new HashMap<>(more);
        variables.putIfAbsent("filter", Map.of("teams", List.of("pages")));
        variables.put("first", first);
        variables.put("after", after);
        return graphql.data("usageRecords", variables);
    }

    private static List<Long> costs(Map<String, Object> page) {
        return Json.list(page, "usageRecords.edges").stream().map(e -> Json.whole(e, "node.costUsd")).toList();
    }

    @Test
    void pagesWalkEveryRecordOnceNewestFirst() {
        Map<String, Object> p1 = page(3, null, Map.of());
        assertEquals(List.of(7L, 6L, 5L), costs(p1));
        assertEquals(true, Json.at(p1, "usageRecords.pageInfo.hasNextPage"));
        assertEquals(false, Json.at(p1, "usageRecords.pageInfo.hasPreviousPage"));
        assertEquals(Json.at(p1, "usageRecords.edges[0].cursor"), Json.at(p1, "usageRecords.pageInfo.startCursor"));

        Map<String, Object> p2 = page(3, (String) Json.at(p1, "usageRecords.pageInfo.endCursor"), Map.of());
        assertEquals(List.of(4L, 3L, 2L), costs(p2));
        assertEquals(true, Json.at(p2, "usageRecords.pageInfo.hasNextPage"));
        assertEquals(true, Json.at(p2, "usageRecords.pageInfo.hasPreviousPage"));

        Map<String, Object> p3 = page(3, (String) Json.at(p2, "usageRecords.pageInfo.endCursor"), Map.of());
        assertEquals(List.of(1L), costs(p3));
        assertEquals(false, Json.at(p3, "usageRecords.pageInfo.hasNextPage"));

        Map<String, Object> p4 = page(3, (String) Json.at(p3, "usageRecords.pageInfo.endCursor"), Map.of());
        assertEquals(List.of(), costs(p4));
        assertNull(Json.at(p4, "usageRecords.pageInfo.endCursor"));
    }

    private Map<String, Object> backward(Map<String, Object> arguments) {
        Map<String, Object> variables = new HashMap<>(arguments);
        variables.putIfAbsent("filter", Map.of("teams", List.of("pages")));
        return graphql.data("usageRecordsBackward", variables);
    }

    @Test
    void backwardPagesWalkTowardsTheNewestAndStayNewestFirst() {
        Map<String, Object> oldest = backward(Map.of("last", 3));
        assertEquals(List.of(3L, 2L, 1L), costs(oldest));
        assertEquals(true, Json.at(oldest, "usageRecords.pageInfo.hasPreviousPage"), "newer records precede it");
        assertEquals(false, Json.at(oldest, "usageRecords.pageInfo.hasNextPage"), "nothing is older");

        Map<String, Object> middle = backward(Map.of("last", 3, "before", Json.at(oldest, "usageRecords.pageInfo.startCursor")));
        assertEquals(List.of(6L, 5L, 4L), costs(middle), "4 and 3 share an instant: the boundary between them loses nothing");
        assertEquals(true, Json.at(middle, "usageRecords.pageInfo.hasPreviousPage"));
        assertEquals(true, Json.at(middle, "usageRecords.pageInfo.hasNextPage"));

        Map<String, Object> newest = backward(Map.of("last", 3, "before", Json.at(middle, "usageRecords.pageInfo.startCursor")));
        assertEquals(List.of(7L), costs(newest));
        assertEquals(false, Json.at(newest, "usageRecords.pageInfo.hasPreviousPage"));

        // back from a forward page: the two records just newer than its first
        Map<String, Object> forward = page(3, (String) Json.at(page(3, null, Map.of()), "usageRecords.pageInfo.endCursor"), Map.of());
        assertEquals(List.of(4L, 3L, 2L), costs(forward));
        assertEquals(List.of(6L, 5L), costs(backward(Map.of("last", 2, "before", Json.at(forward, "usageRecords.pageInfo.startCursor")))));
    }

    @Test
    void totalCountIsEveryPagesRecordsTogether() {
        assertEquals(7L, Json.whole(backward(Map.of("first", 2)), "usageRecords.totalCount"));
        // [07-03, 07-05): records 3 and 4 (the same instant) and 5; the window's edges fall on whole days
        assertEquals(3L, Json.whole(backward(Map.of("first", 1, "from", "2026-07-03T00:00:00Z", "to", "2026-07-05T00:00:00Z")),
                "usageRecords.totalCount"));
        // edges inside days: (07-02 00:00:00.001, 07-04 12:00) holds 3, 4 and 5 again; from 07-04 12:00 on, 6 and 7
        assertEquals(3L, Json.whole(backward(Map.of("last", 1, "from", "2026-07-02T00:00:00.001Z", "to", "2026-07-04T12:00:00Z")),
                "usageRecords.totalCount"));
        assertEquals(2L, Json.whole(backward(Map.of("first", 1, "from", "2026-07-04T12:00:00Z")), "usageRecords.totalCount"));
        assertEquals(0L, Json.whole(backward(Map.of("first", 1, "filter", Map.of("teams", List.of("nobody")))), "usageRecords.totalCount"));
    }

    @Test
    void forwardAndBackwardArgumentsAreNotMixed() {
        Map<String, Object> cursor = Map.of("after", Json.at(page(1, null, Map.of()), "usageRecords.pageInfo.endCursor"));
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("first", 2, "last", 2)), "BAD_USER_INPUT", "last");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("after", cursor.get("after"), "before", cursor.get("after"))),
                "BAD_USER_INPUT", "before");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("first", 2, "before", cursor.get("after"))), "BAD_USER_INPUT", "first");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("last", 2, "after", cursor.get("after"))), "BAD_USER_INPUT", "after");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("last", 0)), "BAD_USER_INPUT", "last");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("last", 1001)), "BAD_USER_INPUT", "last");
        GraphQL.onlyError(graphql.run("usageRecordsBackward", Map.of("last", 2, "before", "bm90LWEtY3Vyc29y")), "BAD_USER_INPUT", "before");
    }

    @Test
    void aPageBoundaryBetweenRecordsOfTheSameInstantLosesNothing() {
        Map<String, Object> p1 = page(4, null, Map.of());
        assertEquals(List.of(7L, 6L, 5L, 4L), costs(p1));
        assertEquals(List.of(3L, 2L, 1L), costs(page(4, (String) Json.at(p1, "usageRecords.pageInfo.endCursor"), Map.of())));
    }

    @Test
    void windowsAndDaysNarrowThePages() {
        assertEquals(List.of(5L, 4L, 3L), costs(page(10, null, Map.of("from", "2026-07-03T00:00:00Z", "to", "2026-07-05T00:00:00Z"))));
        assertEquals(List.of(99L), costs(page(10, null, Map.of("days", 1, "filter", Map.of()))));
        assertEquals(List.of(), costs(page(10, null, Map.of("days", 1))));
    }

    @Test
    void refusesBadPagingArguments() {
        GraphQL.onlyError(graphql.run("usageRecords", Map.of("first", 0)), "BAD_USER_INPUT", "first");
        GraphQL.onlyError(graphql.run("usageRecords", Map.of("first", 1001)), "BAD_USER_INPUT", "first");
        GraphQL.onlyError(graphql.run("usageRecords", Map.of("after", "not-a-cursor")), "BAD_USER_INPUT", "after");
        GraphQL.onlyError(graphql.run("usageRecords", Map.of("from", "2026-07-05T00:00:00Z", "to", "2026-07-05T00:00:00Z")),
                "BAD_USER_INPUT", "from");
        GraphQL.onlyError(graphql.run("usageRecords", Map.of("days", 4000)), "BAD_USER_INPUT", "days");
    }
}
