package dev.aiusage.report;

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

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weekly report: the article's four sections over a week worked out by hand, every number formatted for a person. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WeeklyReportTest {
    @Inject
    @Client("/")
    HttpClient client;
    GraphQL graphql;

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        List<Map<String, Object>> records = new ArrayList<>(List.of(
                Usage.of("2026-05-02T10:00:00Z", "ops", "big", "digest", "summarize", 1234.5).tokens(1000, 500).quality(0.9, true).map(),
                Usage.of("2026-05-03T10:00:00Z", "ops", "big", "digest", "summarize", 0.5).tokens(200, 100).map(),
                Usage.of("2026-05-04T10:00:00Z", "web", "small", null, "chat", 0.004).tokens(10, 5).quality(0.8, false).map(),
                // the week is [May 1, May 8): this one is the next week's
                Usage.of("2026-05-08T00:00:00Z", "ops", "big", "digest", "summarize", 50).map()));
        // 30 days before the week's end, outside the week: what the opportunities section is computed on
        for (int i = 0; i < 20; i++) {
            records.add(Usage.of("2026-04-20T10:00:00Z", "batch", "big2", "bulk", "classify", 0.02).quality(0.9, true).map());
            records.add(Usage.of("2026-04-20T10:00:00Z", "batch", "small2", "bulk", "classify", 0.001).quality(0.9, true).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    @Test
    void reportsTheSevenDaysBeforeWeekEnding() {
        Map<String, Object> data = graphql.data("weeklyReport", Map.of("weekEnding", "2026-05-08T00:00:00Z"));
        assertEquals("2026-05-01T00:00:00.000Z", Json.at(data, "weeklyReport.weekStart"));
        assertEquals("2026-05-08T00:00:00.000Z", Json.at(data, "weeklyReport.weekEnd"));
        assertEquals("""
                # AI Usage Report — week of 2026-05-01 to 2026-05-07

                _7 days ending 2026-05-08 00:00 UTC: $1,235.00 over 3 calls._

                ## Cost by Team (last 7 days)
                - ops: $1,235.00 (2 requests, 1,800 tokens, avg quality 0.90)
                - web: $0.004 (1 request, 15 tokens, avg quality 0.80)

                ## Top Workflows by Cost
                - digest / summarize [big]: $1,235.00, 2 requests, pass rate 100%
                - (no workflow) / chat [small]: $0.004, 1 request, pass rate 0%

                ## Model Efficiency (scored calls)
                - big: avg quality 0.90, avg cost $1,234.50 per call, 1 call
                - small: avg quality 0.80, avg cost $0.004 per call, 1 call

                ## Cost Reduction Opportunities (last 30 days)
                - bulk / classify: switch big2 to small2, est. savings $0.38/mo (20.0× cheaper, quality diff +0.00 over 20 vs 20 scored calls)
                  - RECOMMENDED at 95%: quality diff +0.000 to +0.000, adjusted p <0.0001, savings $0.38 to $0.38/mo

                ## Spend Anomalies (last 7 days)
                _None: no team or workflow spent far above its 28-day baseline on any day._

                ## Adoption (last 7 days)
                _No people directory loaded: import one to see who is building and who is blocked._
                """, Json.at(data, "weeklyReport.markdown"));
    }

    @Test
    void anEmptyWeekSaysSo() {
        String markdown = (String) Json.at(graphql.data("weeklyReport", Map.of("weekEnding", "2021-01-04T09:00:00+01:00")), "weeklyReport.markdown");
        assertEquals("""
                # AI Usage Report — week of 2020-12-28 to 2021-01-04

                _7 days ending 2021-01-04 08:00 UTC: $0.00 over 0 calls._

                ## Cost by Team (last 7 days)
                _No usage this week._

                ## Top Workflows by Cost
                _No usage this week._

                ## Model Efficiency (scored calls)
                _No scored calls this week._

                ## Cost Reduction Opportunities (last 30 days)
                _None found: no cheaper model matches the quality of one in use with at least 20 scored calls each._

                ## Spend Anomalies (last 7 days)
                _None: no team or workflow spent far above its 28-day baseline on any day._

                ## Adoption (last 7 days)
                _No people directory loaded: import one to see who is building and who is blocked._
                """, markdown);
    }

    @Test
    void weekEndingDefaultsToNow() {
        String markdown = (String) Json.at(graphql.data("weeklyReport", Map.of()), "weeklyReport.markdown");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        assertTrue(markdown.contains(" to " + today + "\n") || markdown.contains(" to " + yesterday + "\n"), markdown);
    }
}
