package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.SlowReads;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
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
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One key may have only {@code aiusage.limits.requests-per-key} operations in flight: with a limit of two, a
 * VIEWER key sends three slow reads (each a full scan of 200,000 records) and the third is refused at once with
 * 429 TOO_MANY_REQUESTS and Retry-After, while another key is still answered before the slow reads end.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.admin-key", value = PerKeyLimitTest.ADMIN)
@Property(name = "aiusage.limits.requests-per-key", value = "2")
class PerKeyLimitTest {
    static final String ADMIN = "per-key-limit-admin-secret";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> transactions;

    @Inject
    @Named("default")
    DatasourceConfiguration datasource;

    @Test
    void aKeyOverItsLimitIsRefusedAndOtherKeysAreServed() throws Exception {
        SlowReads.insert(transactions, "per-key", 200_000, 2);
        GraphQL admin = new GraphQL(client).as(ADMIN);
        String busy = (String) Json.at(admin.data("createApiKey", Map.of("name", "busy", "role", "VIEWER")), "createApiKey.secret");
        List<CompletableFuture<Integer>> reads;
        try (AutoCloseable held = SlowReads.holdBack(datasource)) {
            reads = SlowReads.send(client, 3, busy);
            assertEquals("ADMIN", Json.at(admin.post("{ currentAccess { role } }", Map.of()), "data.currentAccess.role"), "another key is served");
            assertFalse(reads.stream().allMatch(CompletableFuture::isDone), "the other key was answered while the slow reads ran");
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> read : reads) {
            statuses.add(read.get());
        }
        assertEquals(List.of(200, 200, 429), statuses.stream().sorted().toList());
        assertEquals(200, client.toBlocking().exchange(HttpRequest.POST("/graphql", Map.of("query", "{ currentAccess { role } }"))
                .bearerAuth(busy), String.class).code(), "the key's slots are given back when its reads end");
    }
}
