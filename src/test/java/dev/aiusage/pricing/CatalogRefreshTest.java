package dev.aiusage.pricing;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented refresh: {@code refresh-prices} run as a command on a genai-prices {@code data.json} (a small one
 * made for the test: a dated list with a per-request fee and a daily off-peak window that crosses midnight, a tiered
 * price, a kind we do not price), and the service started on the catalog it wrote. The expected figures are what
 * genai-prices' own {@code calcPrice} (npm {@code @pydantic/genai-prices} 0.1.8) gives for the same file and calls:
 * fx-dated with 1M in and 1M out costs 1 + 2 = 3 before 2026-03-01, 3 + 4 + 5/1000 = 7.005 from it, and 0.5 + 1 = 1.5
 * from 22:00 to 02:00 UTC on any day; fx-tiered costs 1,000 × 1 = 0.001 for 1,000 input tokens and 1,001 × 2 =
 * 0.002002 for 1,001 (past the tier's start the whole call takes its price).
 */
class CatalogRefreshTest {
    @TempDir
    Path dir;

    @Test
    void refreshPricesWritesACatalogTheServicePricesBy() throws Exception {
        Path data = dir.resolve("data.json");
        try (var in = CatalogRefreshTest.class.getClassLoader().getResourceAsStream("prices/fixture-data.json")) {
            Files.copy(in, data);
        }
        Path out = dir.resolve("catalog.json");
        Path log = dir.resolve("refresh.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.aiusage.Application", "refresh-prices",
                "--data", data.toString(), "--commit", "0123456789abcdef0123456789abcdef01234567", "--commit-date", "2026-03-05",
                "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "refresh-prices did not finish");
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), said);
        assertTrue(said.contains("1 providers, 2 models, 4 price entries"), said);
        assertTrue(said.contains("left out: web_searches_kcount in 1 price lists"), said);

        String database = Postgres.active() ? Postgres.freshDatabaseUrl() : "jdbc:h2:mem:refresh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("datasources.default.url", database, "aiusage.pricing.catalog", out.toString()), "test");
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            Map<String, Object> info = (Map<String, Object>) Json.at(graphql.post("{ priceCatalog { commit commitDate providers models } }", Map.of()),
                    "data.priceCatalog");
            assertEquals(Map.of("commit", "0123456789abcdef0123456789abcdef01234567", "commitDate", "2026-03-05", "providers", 1, "models", 2), info);
            String quote = "query Q($call: PriceQuoteInput!) { priceQuote(call: $call) { costUsd priceRef } }";
            Object[][] calls = {
                    {"fx-dated", "2026-02-01T12:00:00Z", 1_000_000, 1_000_000, 3.0, "fixture/fx-dated"},
                    {"fx-dated", "2026-03-01T12:00:00Z", 1_000_000, 1_000_000, 7.005, "fixture/fx-dated@2026-03-01"},
                    {"fx-dated", "2026-03-02T23:00:00Z", 1_000_000, 1_000_000, 1.5, "fixture/fx-dated@22:00-02:00Z"},
                    {"fx-dated", "2026-02-01T01:59:59Z", 1_000_000, 1_000_000, 1.5, "fixture/fx-dated@22:00-02:00Z"},
                    {"fx-dated-v2", "2026-03-02T02:00:00Z", 1_000_000, 1_000_000, 7.005, "fixture/fx-dated@2026-03-01"},
                    {"fx-tiered", "2026-03-02T02:00:00Z", 1000, 0, 0.001, "fixture/fx-tiered"},
                    {"fx-tiered", "2026-03-02T02:00:00Z", 1001, 0, 0.002002, "fixture/fx-tiered"},
            };
            for (Object[] c : calls) {
                Map<String, Object> answer = (Map<String, Object>) Json.at(graphql.post(quote, Map.of("call", Map.of("provider", "fixture",
                        "model", c[0], "ts", c[1], "inputTokens", c[2], "outputTokens", c[3]))), "data.priceQuote");
                assertEquals((double) c[4], Json.number(answer, "costUsd"), 1e-12, () -> "quote of " + List.of(c));
                assertEquals(c[5], answer.get("priceRef"), () -> "quote of " + List.of(c));
            }
        }
    }

    /** A refresh with a missing argument says how to call it and writes nothing. */
    @Test
    void refreshPricesWithoutItsArgumentsSaysHowToCallIt() throws IOException, InterruptedException {
        Path out = dir.resolve("never.json");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.aiusage.Application", "refresh-prices", "--out", out.toString())
                .redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertTrue(process.exitValue() != 0, said);
        assertTrue(said.contains("usage: refresh-prices --data data.json --commit SHA --commit-date YYYY-MM-DD"), said);
        assertTrue(Files.notExists(out));
    }
}
