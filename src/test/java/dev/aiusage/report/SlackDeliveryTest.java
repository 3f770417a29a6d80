package dev.aiusage.report;

import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.LogCapture;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weekly report delivered to a Slack incoming webhook, here a real HTTP server on loopback that records
 * what it gets and fails when told to: the exact payload, one delivery per week, retries with backoff after a
 * 500, a refusal that is final, and a webhook URL (the secret) that shows nowhere.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackDeliveryTest implements TestPropertyProvider {
    private static final String SECRET = "B0000XYZ/t0ps3cr3tW3bh00kT0k3n";
    private final FakeReceiver slack = FakeReceiver.answering(200, "ok");
    private final LogCapture logs = new LogCapture();
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    @Inject
    DeliveryScheduler scheduler;
    GraphQL graphql;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("aiusage.report.slack.webhook-url", slack.url("/services/T0000/" + SECRET),
                "test.manual-clock", "true");
    }

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        // a Wednesday afternoon: no scheduled run (Mondays 09:00) falls inside anything the tests below do
        clock.set("2026-05-13T12:00:00Z");
        List<Map<String, Object>> records = new ArrayList<>(List.of(
                // the week [May 1, May 8)
                Usage.of("2026-05-02T10:00:00Z", "ops", "big", "digest", "summarize", 1234.5).quality(0.9, true).map(),
                Usage.of("2026-05-03T10:00:00Z", "ops", "big", "digest", "summarize", 0.5).map(),
                Usage.of("2026-05-04T10:00:00Z", "web", "small", null, "chat", 0.004).quality(0.8, false).map(),
                // the week before, [Apr 24, May 1): ops spent less, legacy stopped
                Usage.of("2026-04-28T10:00:00Z", "ops", "big", "digest", "summarize", 1000).map(),
                Usage.of("2026-04-25T10:00:00Z", "legacy", "big", "old-flow", "summarize", 12).map()));
        // earlier in the 30 days before the week's end: the opportunity the last section reports
        for (int i = 0; i < 20; i++) {
            records.add(Usage.of("2026-04-20T10:00:00Z", "batch", "big2", "bulk", "classify", 0.02).quality(0.9, true).map());
            records.add(Usage.of("2026-04-20T10:00:00Z", "batch", "small2", "bulk", "classify", 0.001).quality(0.9, true).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    @BeforeEach
    void clear() {
        slack.clear();
    }

    @AfterAll
    void stop() {
        slack.close();
        logs.close();
    }

    /** The report for the week ending 2026-05-08 00:00 UTC, worked out by hand from the records above. */
    private static final String EXPECTED = """
            *AI usage report: the 7 days to Fri 8 May 2026 00:00 UTC*
            *$1,235.00* over 3 calls, +22.0% on the week before ($1,012.00)

            *Cost by team*
            • ops: $1,235.00 (+23.5%, was $1,000.00)
            • web: $0.00 (new this week)
            • legacy: $0.00 (-100.0%, was $12.00)

            *Top workflows by cost*
            • digest / summarize on big: $1,235.00, 2 calls, 100% passed
            • (no workflow) / chat on small: $0.00, 1 call, 0% passed

            *Model efficiency (scored calls)*
            • big: quality 0.90, $1,234,500.00 per 1,000 calls
            • small: quality 0.80, $4.00 per 1,000 calls

            *Savings to act on (last 30 days)*
            • bulk / classify: big2 → small2, about $0.38/month (20.0× cheaper, quality change +0.00 on 20 vs 20 scored calls)
               RECOMMENDED at 95%: quality diff +0.000 to +0.000, adjusted p &lt;0.0001, savings $0.38 to $0.38/mo

            *Spend anomalies (last 7 days)*
            None this week.

            *Adoption (last 7 days)*
            No people directory loaded: import one to see who is building and who is blocked.
            """;

    @Test
    void aDryRunReturnsTheExactPayloadAndSendsNothing() {
        int before = deliveries().size();
        Map<String, Object> result = send("2026-05-08T00:00:00Z", true);
        assertEquals(true, result.get("dryRun"));
        assertNull(result.get("delivery"));
        assertEquals(Map.of("text", EXPECTED), Json.parse((String) result.get("payload")));
        assertEquals(List.of(), slack.received());
        assertEquals(before, deliveries().size());
    }

    @Test
    void aWeekIsPostedOnceWithThatPayload() {
        clock.set("2026-05-13T12:00:00Z");
        Map<String, Object> first = send("2026-05-08T00:00:00Z", false);
        Map<?, ?> delivery = (Map<?, ?>) first.get("delivery");
        assertEquals("SENT", delivery.get("status"));
        assertEquals("ON_DEMAND", delivery.get("trigger"));
        assertEquals("slack", delivery.get("destination"));
        assertEquals("2026-05-13T12:00:00.000Z", delivery.get("sentAt"));
        List<?> attempts = (List<?>) delivery.get("attempts");
        assertEquals(1, attempts.size());
        assertEquals(true, Json.at(attempts.get(0), "succeeded"));
        assertEquals(200, Json.whole(attempts.get(0), "httpStatus"));

        List<FakeReceiver.Received> received = slack.received();
        assertEquals(1, received.size());
        assertEquals("POST", received.get(0).method());
        assertEquals("/services/T0000/" + SECRET, received.get(0).path());
        assertTrue(received.get(0).header("Content-Type").startsWith("application/json"));
        assertEquals(first.get("payload"), received.get(0).body());
        assertEquals(Map.of("text", EXPECTED), Json.parse(received.get(0).body()));

        // the same week again: the delivery as it is, nothing posted
        Map<String, Object> again = send("2026-05-08T00:00:00Z", false);
        assertEquals(delivery.get("id"), Json.at(again, "delivery.id"));
        assertEquals(1, slack.received().size());
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoffUntilItIsSentOnce() {
        clock.set("2026-05-13T13:00:00Z");
        slack.failNext(500, "internal_error");
        Map<?, ?> delivery = (Map<?, ?>) send("2026-05-01T00:00:00Z", false).get("delivery");
        assertEquals("RETRYING", delivery.get("status"));
        assertEquals("2026-05-13T13:01:00.000Z", delivery.get("nextAttemptAt"));
        assertEquals(500, Json.whole(delivery, "attempts[0].httpStatus"));
        assertEquals("HTTP 500: internal_error", Json.at(delivery, "attempts[0].error"));

        scheduler.tick();   // before the backoff is over: nothing
        assertEquals(1, slack.received().size());
        clock.advance(Duration.ofSeconds(61));
        scheduler.tick();
        scheduler.tick();   // and once sent, never again
        List<FakeReceiver.Received> received = slack.received();
        assertEquals(2, received.size());
        assertEquals(received.get(0).body(), received.get(1).body());

        Map<?, ?> after = find(delivery.get("id"));
        assertEquals("SENT", after.get("status"));
        assertEquals(List.of(false, true), ((List<?>) after.get("attempts")).stream().map(a -> ((Map<?, ?>) a).get("succeeded")).toList());
        assertNull(after.get("nextAttemptAt"));
    }

    @Test
    void aRefusalIsFinal() {
        clock.set("2026-05-13T14:00:00Z");
        slack.failNext(404, "no_service");
        Map<?, ?> delivery = (Map<?, ?>) send("2026-04-24T00:00:00Z", false).get("delivery");
        assertEquals("FAILED", delivery.get("status"));
        assertEquals("HTTP 404: no_service", Json.at(delivery, "attempts[0].error"));
        assertNull(delivery.get("nextAttemptAt"));
        clock.advance(Duration.ofHours(2));
        scheduler.tick();
        assertEquals(1, slack.received().size());
    }

    /** Sends racing each other for one week: one delivery, one POST, no error for anyone. */
    @Test
    void concurrentSendsOfOneWeekPostItOnce() throws Exception {
        clock.set("2026-05-13T16:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Map<String, Object>>> sends = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sends.add(pool.submit(() -> send("2026-04-10T00:00:00Z", false)));
            }
            Set<Object> ids = new HashSet<>();
            for (Future<Map<String, Object>> f : sends) {
                ids.add(Json.at(f.get(60, TimeUnit.SECONDS), "delivery.id"));
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, slack.received().size());
        assertEquals("SENT", find(deliveries().stream().filter(d -> "2026-04-10T00:00:00.000Z".equals(d.get("weekEnding")))
                .findFirst().orElseThrow().get("id")).get("status"));
    }

    @Test
    void aRedirectIsNotADelivery() {
        clock.set("2026-05-20T15:00:00Z");
        slack.failNext(302, "");
        Map<?, ?> delivery = (Map<?, ?>) send("2026-02-27T00:00:00Z", false).get("delivery");
        assertEquals("RETRYING", delivery.get("status"));
        assertEquals(302, Json.whole(delivery, "attempts[0].httpStatus"), () -> "received: " + slack.received().stream().map(r -> r.method() + " " + r.path()).toList() + " " + delivery);
        assertTrue(String.valueOf(Json.at(delivery, "attempts[0].error")).startsWith("HTTP 302"), () -> "attempt: " + delivery);
    }

    @Test
    void theWebhookUrlShowsNowhere() {
        clock.set("2026-05-13T15:00:00Z");
        // a destination that echoes the secret back in its error must not get it into the attempt log
        slack.failNext(403, "invalid token for /services/T0000/" + SECRET);
        Map<?, ?> delivery = (Map<?, ?>) send("2026-04-17T00:00:00Z", false).get("delivery");
        assertEquals("HTTP 403: invalid token for ***", Json.at(delivery, "attempts[0].error"));

        Map<String, Object> schedule = graphql.data("reportSchedule", Map.of());
        answers.add(schedule.toString());
        assertEquals(Map.of("enabled", true, "cron", "0 9 * * MON", "timeZone", "UTC",
                "nextRun", "2026-05-18T09:00:00.000Z", "destinations", List.of("slack")), schedule.get("reportSchedule"));
        answers.add(deliveries().toString());
        for (String answer : answers) {
            assertFalse(answer.contains(SECRET), "an answer holds the webhook secret");
        }
        String logged = logs.text();
        assertTrue(logged.contains("failed"), "the failures were logged");
        assertFalse(logged.contains(SECRET), "the log holds the webhook secret");
    }

    private Map<String, Object> send(String weekEnding, boolean dryRun) {
        Map<String, Object> response = graphql.run("sendWeeklyReport", Map.of("weekEnding", weekEnding, "dryRun", dryRun));
        answers.add(response.toString());
        assertNull(response.get("errors"), () -> "errors: " + response.get("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.at(response, "data.sendWeeklyReport");
        return result;
    }

    private List<Map<?, ?>> deliveries() {
        return Json.list(graphql.data("reportDeliveries", Map.of("first", 100)), "reportDeliveries").stream().<Map<?, ?>>map(d -> (Map<?, ?>) d).toList();
    }

    private Map<?, ?> find(Object id) {
        return deliveries().stream().filter(d -> d.get("id").equals(id)).findFirst().orElseThrow();
    }
}
