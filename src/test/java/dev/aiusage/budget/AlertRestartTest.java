package dev.aiusage.budget;

import dev.aiusage.support.ChildServer;
import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A budget alert is sent once across a restart: the service (a real process on its embedded H2 file) posts the 50%
 * alert to a Slack that is a real HTTP server on loopback, is stopped, starts again on the same file and checks every
 * second, and posts nothing more. A company budget of $10 with $6 spent today; nothing before today, so the forecast
 * is the spend itself and no forecast alert is due.
 */
@DisabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres", disabledReason = "the child process runs on the embedded H2 file")
class AlertRestartTest {
    @TempDir
    Path dir;

    @Test
    void anAlertIsSentOnceAcrossRestarts() throws Exception {
        try (FakeReceiver slack = FakeReceiver.answering(200, "ok")) {
            String[] config = {"aiusage.report.slack.webhook-url=" + slack.url("/services/T9/B9/restart-secret"),
                    "aiusage.outbound.poll-interval=1s", "aiusage.outbound.initial-delay=1s", "aiusage.alerts.check-interval=1s"};
            int port = ChildServer.freePort();
            try (ChildServer server = ChildServer.start(dir, port, config)) {
                GraphQL graphql = server.graphql();
                graphql.data("recordUsage", Map.of("input", Usage.of(null, "ops", "m", null, "t", 6.0).map()));
                graphql.data("setBudget", Map.of("input", Map.of("name", "All of it", "scope", "COMPANY", "amountUsd", 10)));
                Instant until = Instant.now().plus(Duration.ofSeconds(60));
                while (alerts(slack).isEmpty() && Instant.now().isBefore(until)) {
                    Thread.sleep(200);
                }
                assertEquals(1, alerts(slack).size(), "the 50% alert");
                assertTrue(alerts(slack).get(0).body().contains("reached 50%: $6.00 spent of $10.00"), alerts(slack).get(0).body());
            }
            try (ChildServer restarted = ChildServer.start(dir, port, config)) {
                // several rounds of checks after the restart, none of which may send it again
                Thread.sleep(5000);
                assertEquals("All of it", Json.at(restarted.graphql().data("budgets", Map.of()), "budgets[0].name"));
                assertEquals(1, alerts(slack).size(), "sent once: " + alerts(slack));
            }
        }
    }

    private static List<FakeReceiver.Received> alerts(FakeReceiver slack) {
        return slack.received().stream().filter(r -> r.body().contains("Budget *")).toList();
    }
}
