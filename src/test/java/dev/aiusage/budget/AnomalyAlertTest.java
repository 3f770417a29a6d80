package dev.aiusage.budget;

import dev.aiusage.report.DeliveryScheduler;
import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With {@code aiusage.alerts.anomalies} on, yesterday's anomalies go to the generic webhook, once each. The series is
 * AnomalyTest's, worked out there: $10 and $12 on alternate days through February 2026, $11 on March 1, $16 on
 * March 2 (not flagged: under the $5 minimum excess) and $30 on March 3 (flagged: median 11.5, MAD 1.0). Now is
 * March 4, 12:00 UTC.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyAlertTest implements TestPropertyProvider {
    private final FakeReceiver webhook = FakeReceiver.answering(200, "");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    @Inject
    DeliveryScheduler scheduler;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("test.manual-clock", "true", "aiusage.alerts.webhook.url", webhook.url("/hook"),
                "aiusage.alerts.anomalies", "true", "aiusage.alerts.check-interval", "0s");
    }

    @BeforeAll
    void load() {
        clock.set("2026-03-04T12:00:00Z");
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            records.add(call(LocalDate.parse("2026-02-01").plusDays(i), i % 2 == 0 ? 10.0 : 12.0));
        }
        records.add(call(LocalDate.parse("2026-03-01"), 11.0));
        records.add(call(LocalDate.parse("2026-03-02"), 16.0));
        records.add(call(LocalDate.parse("2026-03-03"), 30.0));
        new GraphQL(client).data("recordUsageBatch", Map.of("inputs", records));
    }

    private static Map<String, Object> call(LocalDate day, double cost) {
        return Usage.of(day + "T15:00:00Z", "spiky", "m", "spiky-flow", "t", cost).map();
    }

    @AfterAll
    void stop() {
        webhook.close();
    }

    @Test
    void yesterdaysSpikeIsAlertedOncePerTeamAndWorkflow() {
        scheduler.tick();
        scheduler.tick();
        List<Map<String, Object>> bodies = webhook.received().stream().map(r -> Json.parse(r.body())).toList();
        assertEquals(2, bodies.size(), () -> "received " + bodies);
        assertEquals(List.of("TEAM spiky", "WORKFLOW spiky-flow"), bodies.stream().map(b -> b.get("dimension") + " " + b.get("name")).sorted().toList());
        for (Map<String, Object> body : bodies) {
            assertEquals("spend.anomaly", body.get("type"));
            assertEquals("2026-03-03", body.get("day"));
            assertEquals(30.0, Json.number(body, "spendUsd"), 1e-9);
            assertEquals(11.5, Json.number(body, "baselineMedianUsd"), 1e-9);
            assertEquals(12.478, Json.number(body, "robustScore"), 1e-3);
        }
    }
}
