package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.SlowReads;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> transactions;

    @Inject
    @Named("default")
    DatasourceConfiguration datasource;

    @Test
    void aFullReadPoolAnswersTooManyRequests() throws Exception {
        SlowReads.insert(transactions, "slow", 200_000, 2);
        List<CompletableFuture<Integer>> reads;
        try (AutoCloseable held = SlowReads.holdBack(datasource)) {
            reads = SlowReads.send(client, 3, null);
            assertEquals(1, Json.whole(new GraphQL(client).data("recordUsage", Map.of("input",
                    dev.aiusage.support.Usage.of(java.time.Instant.now().minusSeconds(60).toString(), "slow", "m", "wf", "t", 0.01).map())),
                    "recordUsage.accepted"), "ingest has threads of its own");
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> read : reads) {
            statuses.add(read.get());
        }
        assertEquals(2, statuses.stream().filter(s -> s == 200).count(), () -> "statuses: " + statuses);
        assertTrue(statuses.contains(429), () -> "statuses: " + statuses);
    }
}
