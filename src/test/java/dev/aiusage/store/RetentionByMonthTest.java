package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Postgres;
import dev.aiusage.support.Usage;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention across months. The clock stands at 2026-06-20T12:00Z with three days of raw records kept (horizon
 * 2026-06-17T00:00Z); calls of $1 on 04-15, $2 on 05-20, $4 on 06-10 and $8 on 06-18. The first three go, the
 * totals over whole days stay $15 over four calls. On PostgreSQL the raw records are partitioned by month, and
 * April's and May's partitions are dropped whole (June's record goes row by row, its month being the horizon's).
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
@Property(name = "aiusage.retention.raw-days", value = "3")
@Property(name = "aiusage.retention.grace", value = "0s")
@Property(name = "aiusage.retention.initial-delay", value = "1h")
class RetentionByMonthTest {
    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    ManualClock clock;

    @Inject
    RawRetention retention;

    @Inject
    @Named("default")
    DatasourceConfiguration datasource;

    @Test
    void wholeMonthsGoAndTheTotalsStay() throws Exception {
        clock.set("2026-06-20T12:00:00Z");
        GraphQL graphql = new GraphQL(client);
        graphql.data("recordUsageBatch", Map.of("inputs", List.of(
                Usage.of("2026-04-15T10:00:00Z", "months", "m", "wf", "t", 1.0).map(),
                Usage.of("2026-05-20T10:00:00Z", "months", "m", "wf", "t", 2.0).map(),
                Usage.of("2026-06-10T10:00:00Z", "months", "m", "wf", "t", 4.0).map(),
                Usage.of("2026-06-18T10:00:00Z", "months", "m", "wf", "t", 8.0).map())));
        graphql.data("rebuildRollups", Map.of());
        if (Postgres.active()) {
            assertEquals(List.of("usage_record_default", "usage_record_y2026m04", "usage_record_y2026m05", "usage_record_y2026m06"), partitions());
        }

        assertEquals(3, retention.apply().deleted());

        Map<String, Object> teams = graphql.data("costByTeam", Map.of("from", "2026-04-01T00:00:00Z", "to", "2026-06-21T00:00:00Z"));
        assertEquals(15.0, Json.number(teams, "costByTeam[0].totalCost"), 1e-9);
        assertEquals(4, Json.whole(teams, "costByTeam[0].requests"));
        assertEquals(1, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records"));
        if (Postgres.active()) {
            assertEquals(List.of("usage_record_default", "usage_record_y2026m06"), partitions());
        }
    }

    /** The raw table's partitions, by name. */
    private List<String> partitions() throws Exception {
        try (Connection connection = DriverManager.getConnection(datasource.getUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'usage_record'::regclass ORDER BY c.relname")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
