package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full read pool refuses at once rather than queueing without end: one read thread and a queue of one, three
 * slow reads sent together (each a full scan of 200,000 records): one runs, one waits, and the third is answered
 * 429 TOO_MANY_REQUESTS with Retry-After; ingest, on its own pool, still stores.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.limits.read-threads", value = "1")
@Property(name = "aiusage.limits.queued-requests", value = "1")
class ReadPoolLimitTest {
    private static final List<String> NOBODY = IntStream.range(0, 1000).mapToObj(i -> "nobody-" + i).toList();

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> transactions;

    @Test
    void aFullReadPoolAnswersTooManyRequests() throws Exception {
        transactions.executeWrite(status -> {
            try (Statement insert = status.getConnection().createStatement()) {
                return insert.executeUpdate("INSERT INTO usage_record (ts, provider, model, team, user_name, task_type, workflow, cost_usd) "
                        + "SELECT CURRENT_TIMESTAMP - INTERVAL '2' DAY + X * INTERVAL '1' SECOND, 'openai', 'gpt-4o', 'slow', "
                        + "'user-' || MOD(X, 50), 'summarize', 'digest', 0.01 FROM SYSTEM_RANGE(1, 200000)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Object> body = Map.of("query", "query ($f: UsageFilter) { usageRecords(days: 30, first: 1, filter: $f) { edges { cursor } } }",
                "variables", Map.of("f", Map.of("users", NOBODY)));
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return client.toBlocking().exchange(HttpRequest.POST("/graphql", body), String.class).code();
                } catch (HttpClientResponseException refused) {
                    assertEquals("1", refused.getResponse().getHeaders().get("Retry-After"));
                    String text = refused.getResponse().getBody(String.class).orElse("");
                    assertEquals("TOO_MANY_REQUESTS", Json.at(Json.parse(text), "errors[0].extensions.code"));
                    return refused.getStatus().getCode();
                }
            }));
            Thread.sleep(50);
        }
        assertEquals(1, Json.whole(new GraphQL(client).data("recordUsage", Map.of("input",
                dev.aiusage.support.Usage.of(java.time.Instant.now().minusSeconds(60).toString(), "slow", "m", "wf", "t", 0.01).map())),
                "recordUsage.accepted"), "ingest has threads of its own");
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> read : reads) {
            statuses.add(read.get());
        }
        assertEquals(2, statuses.stream().filter(s -> s == 200).count(), () -> "statuses: " + statuses);
        assertTrue(statuses.contains(429), () -> "statuses: " + statuses);
    }
}
