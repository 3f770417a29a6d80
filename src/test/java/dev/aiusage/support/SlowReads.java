package dev.aiusage.support;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What makes a read slow on purpose: many records written straight into the records table (through the API this
 * would take half a minute; they stay above the fold watermark until folded), and a filter of 1,000 user names
 * that match none, so a page of records compares every record with every name. That is slow on H2; PostgreSQL
 * hashes the list and answers in milliseconds, so there {@link #holdBack} also keeps the time table locked
 * while the reads are sent: a page of records waits for the lock (and its statement timeout counts the wait),
 * while ingest, which does not touch that table, and requests that read nothing go on.
 */
public final class SlowReads {
    /** 1,000 user names no record has. */
    public static final List<String> NOBODY = IntStream.range(0, 1000).mapToObj(i -> "nobody-" + i).toList();
    /** A page of one record filtered by {@code $f}: a full scan of the window with {@link #NOBODY}. */
    public static final String PAGE = "query ($f: UsageFilter) { usageRecords(days: 30, first: 1, filter: $f) { edges { cursor } } }";

    private SlowReads() {
    }

    /**
     * On PostgreSQL, holds an exclusive lock on {@code record_time} from a connection of its own until closed, so
     * reads of record pages wait; on H2 nothing (the reads are slow by themselves).
     */
    public static AutoCloseable holdBack(DatasourceConfiguration datasource) throws SQLException {
        if (!Postgres.active()) {
            return () -> { };
        }
        Connection connection = DriverManager.getConnection(datasource.getUrl(), "postgres", "");
        connection.setAutoCommit(false);
        try (Statement lock = connection.createStatement()) {
            lock.execute("LOCK TABLE record_time IN ACCESS EXCLUSIVE MODE");
        }
        return () -> {
            connection.rollback();
            connection.close();
        };
    }

    /**
     * Sends {@code n} slow reads (50 ms apart, with {@code key} unless null) and gives each one's HTTP status; a
     * refused one must be 429 TOO_MANY_REQUESTS with {@code Retry-After: 1}.
     */
    public static List<CompletableFuture<Integer>> send(HttpClient client, int n, String key) throws InterruptedException {
        Map<String, Object> body = Map.of("query", PAGE, "variables", Map.of("f", Map.of("users", NOBODY)));
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> {
                MutableHttpRequest<?> request = HttpRequest.POST("/graphql", body);
                if (key != null) {
                    request.bearerAuth(key);
                }
                try {
                    return client.toBlocking().exchange(request, String.class).code();
                } catch (HttpClientResponseException refused) {
                    assertEquals("1", refused.getResponse().getHeaders().get("Retry-After"));
                    String text = refused.getResponse().getBody(String.class).orElse("");
                    assertEquals("TOO_MANY_REQUESTS", Json.at(Json.parse(text), "errors[0].extensions.code"));
                    return refused.getStatus().getCode();
                }
            }));
            Thread.sleep(50);
        }
        return reads;
    }

    /** {@code n} calls of {@code team} at $0.01 each, one a second from {@code daysAgo} days back. */
    public static void insert(TransactionOperations<Connection> transactions, String team, int n, int daysAgo) {
        transactions.executeWrite(status -> {
            try (Statement insert = status.getConnection().createStatement()) {
                String series = Postgres.active() ? "generate_series(1, " + n + ") AS s(X)" : "SYSTEM_RANGE(1, " + n + ")";
                return insert.executeUpdate("INSERT INTO usage_record (ts, provider, model, team, user_name, task_type, workflow, cost_usd) "
                        + "SELECT CURRENT_TIMESTAMP - INTERVAL '" + daysAgo + "' DAY + X * INTERVAL '1' SECOND, 'openai', 'gpt-4o', '"
                        + team + "', 'user-' || MOD(X, 50), 'summarize', 'digest', 0.01 FROM " + series);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
