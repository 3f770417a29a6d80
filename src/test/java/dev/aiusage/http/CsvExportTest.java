package dev.aiusage.http;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CSV out of {@code POST /graphql} with {@code Accept: text/csv}, parsed back and compared with what was sent:
 * a connection exported whole across pages, a breakdown's rows with dotted headers, a plain list, values that
 * need quoting, a query that has no single list, an error, and the REST team endpoint.
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvExportTest {
    static final int RECORDS = 2_345;

    @Inject
    EmbeddedServer server;
    @Inject
    @io.micronaut.http.client.annotation.Client("/")
    io.micronaut.http.client.HttpClient client;
    @Inject
    ManualClock clock;

    private final HttpClient http = HttpClient.newHttpClient();

    /** 2,345 calls of team a, one a minute from Nov 1 00:00, $0.01 each; user "smith, j." (a comma) on every 100th. */
    @BeforeAll
    void load() {
        clock.set("2026-12-01T00:00:00Z");
        GraphQL graphql = new GraphQL(client);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Usage usage = Usage.of(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * i).toString(), i % 3 == 0 ? "b" : "a", "m1", "wf", "chat", 0.01)
                    .set("requestId", "r-" + i).tokens(10, 5);
            if (i % 100 == 0) {
                usage.set("user", "smith, j. \"js\"");
            }
            batch.add(usage.map());
            if (batch.size() == 1000 || i == RECORDS - 1) {
                graphql.data("recordUsageBatch", Map.of("inputs", batch));
                batch = new ArrayList<>();
            }
        }
    }

    private HttpResponse<String> csv(String query) throws Exception {
        String body = "{\"query\":" + quote(query) + "}";
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/graphql"))
                .header("Content-Type", "application/json").header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static List<CSVRecord> parse(String body) throws Exception {
        try (CSVParser parser = CSVParser.parse(new StringReader(body), CSVFormat.RFC4180)) {
            return parser.getRecords();
        }
    }

    @Test
    void aConnectionIsExportedWholePageByPage() throws Exception {
        HttpResponse<String> response = csv("""
                { usageRecords(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", first: 1000) {
                    edges { node { requestId ts team user costUsd tokens promptTemplate { name } } } } }""");
        assertEquals(200, response.statusCode(), response::body);
        assertEquals(Optional.of("text/csv;charset=utf-8"), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("attachment; filename=\"usageRecords.csv\""), response.headers().firstValue("Content-Disposition"));
        assertTrue(response.body().contains("\r\n"), "RFC 4180 lines end in CRLF");
        assertEquals(Optional.of("chunked"), response.headers().firstValue("Transfer-Encoding"), "streamed, not one body held whole");
        List<CSVRecord> rows = parse(response.body());
        assertEquals(List.of("requestId", "ts", "team", "user", "costUsd", "tokens", "promptTemplate.name"), rows.get(0).toList());
        assertEquals(RECORDS + 1, rows.size(), "every record across three pages of 1,000, and the header");
        // newest first: the last call sent is the first row
        int last = RECORDS - 1;
        assertEquals(List.of("r-" + last, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * last).toString().replace("Z", ".000Z"),
                last % 3 == 0 ? "b" : "a", "", "0.01", "15", ""), rows.get(1).toList());
        CSVRecord quoted = rows.get(RECORDS - 2300);  // r-2300, a user with a comma and quotes
        assertEquals("r-2300", quoted.get(0));
        assertEquals("smith, j. \"js\"", quoted.get(3));
        assertEquals(RECORDS, rows.stream().skip(1).map(r -> r.get(0)).distinct().count(), "no record twice");
    }

    @Test
    void aBreakdownsRowsWithDottedHeaders() throws Exception {
        HttpResponse<String> response = csv("""
                { usage(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", groupBy: [TEAM]) {
                    rows { team measures { cost requests inputTokens } } total { cost } } }""");
        assertEquals(200, response.statusCode(), response::body);
        // 2,345 calls: b takes every third from 0 (782), a the other 1,563
        assertEquals(List.of(List.of("team", "measures.cost", "measures.requests", "measures.inputTokens"),
                List.of("a", "15.63", "1563", "15630"), List.of("b", "7.82", "782", "7820")),
                parse(response.body()).stream().map(CSVRecord::toList).toList());
    }

    @Test
    void aPlainListAndFragments() throws Exception {
        HttpResponse<String> response = csv("""
                query { costByTeam(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { ...t spend: totalCost } }
                fragment t on TeamCost { team requests }""");
        assertEquals(200, response.statusCode(), response::body);
        assertEquals(List.of(List.of("team", "requests", "spend"), List.of("a", "1563", "15.63"), List.of("b", "782", "7.82")),
                parse(response.body()).stream().map(CSVRecord::toList).toList());
    }

    @Test
    void aQueryWithoutOneListIsRefusedAsJson() throws Exception {
        HttpResponse<String> two = csv("{ costByTeam { team } serviceInfo { records } }");
        assertEquals(400, two.statusCode(), two::body);
        assertTrue(two.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> body = Json.parse(two.body());
        GraphQL.onlyError(body, "BAD_USER_INPUT", "query");
        HttpResponse<String> noList = csv("{ serviceInfo { records version } }");
        assertEquals(400, noList.statusCode(), noList::body);
        HttpResponse<String> bad = csv("{ usage(limit: 0) { rows { team } } }");
        assertEquals(400, bad.statusCode(), bad::body);
        GraphQL.onlyError(Json.parse(bad.body()), "BAD_USER_INPUT", "limit");
        Safety.assertNoInternals(bad.body());
    }

    @Test
    void theRestTeamEndpointAnswersCsvToo() throws Exception {
        clock.set("2026-11-03T00:00:00Z");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/usage/team/a?days=2"))
                    .header("Accept", "text/csv").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            // Nov 1 and 2: 1,440 calls a day, two of three of them team a's (calls 0..1439: 960 a; 1440..2879 but only 905 sent: 603 a)
            assertEquals(List.of(List.of("day", "cost", "requests"), List.of("2026-11-01", "9.6", "960"), List.of("2026-11-02", "6.03", "603")),
                    parse(response.body()).stream().map(CSVRecord::toList).toList());
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/usage/team/a?days=2"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(json.body().startsWith("{"), json::body);
        } finally {
            clock.set("2026-12-01T00:00:00Z");
        }
    }
}
