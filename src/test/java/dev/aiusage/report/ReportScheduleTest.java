package dev.aiusage.report;

import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Postgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weekly schedule across restarts: two servers in turn on one database, the second started as the first
 * was stopped, with the clock moved by hand. Every scheduled run is delivered exactly once, a restart repeats
 * none, runs missed while the service was down are sent oldest first, up to the catch-up limit, and the cron
 * expression keeps local time across a daylight-saving change.
 */
class ReportScheduleTest {
    private final FakeReceiver slack = FakeReceiver.answering(200, "ok");
    private final String database = Postgres.active() ? Postgres.freshDatabaseUrl()
            : "jdbc:h2:mem:schedule-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        slack.close();
    }

    private void start(Map<String, Object> more) {
        if (server != null) {
            server.stop();
        }
        Map<String, Object> properties = new HashMap<>(Map.of("datasources.default.url", database,
                "aiusage.report.slack.webhook-url", slack.url("/services/T1/B1/restart-test-token"),
                "test.manual-clock", "true"));
        properties.putAll(more);
        server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
    }

    private void at(String instant) {
        server.getApplicationContext().getBean(ManualClock.class).set(instant);
    }

    private void tick() {
        server.getApplicationContext().getBean(DeliveryScheduler.class).tick();
    }

    /** Week endings of the scheduled deliveries, newest first, each SENT. */
    private List<Object> scheduledWeeks() {
        try (HttpClient client = HttpClient.create(server.getURL())) {
            List<?> deliveries = Json.list(new GraphQL(client).data("reportDeliveries", Map.of("first", 100)), "reportDeliveries");
            deliveries.forEach(d -> assertEquals("SENT", Json.at(d, "status"), () -> "delivery " + d));
            return deliveries.stream().filter(d -> "SCHEDULED".equals(Json.at(d, "trigger"))).map(d -> Json.at(d, "weekEnding")).toList();
        }
    }

    @Test
    void everyRunIsDeliveredOnceAcrossRestarts() {
        start(Map.of());
        at("2026-06-07T12:00:00Z");   // a Sunday: delivery is set up now, so runs count from here
        tick();
        assertEquals(0, slack.received().size());
        at("2026-06-08T09:00:30Z");   // Monday 09:00 has passed
        tick();
        tick();
        assertEquals(1, slack.received().size());
        assertTrue(slack.received().get(0).body().contains("the 7 days to Mon 8 Jun 2026 09:00 UTC"), slack.received().get(0).body());

        start(Map.of());              // restart on the same database, a few minutes later
        at("2026-06-08T09:05:00Z");
        tick();
        assertEquals(1, slack.received().size(), "a restart repeated a run");
        at("2026-06-22T10:00:00Z");   // two Mondays later: both runs are due, oldest first
        tick();
        assertEquals(3, slack.received().size());
        assertTrue(slack.received().get(1).body().contains("the 7 days to Mon 15 Jun 2026 09:00 UTC"));
        assertTrue(slack.received().get(2).body().contains("the 7 days to Mon 22 Jun 2026 09:00 UTC"));
        assertEquals(List.of("2026-06-22T09:00:00.000Z", "2026-06-15T09:00:00.000Z", "2026-06-08T09:00:00.000Z"), scheduledWeeks());
    }

    @Test
    void afterALongStopOnlyTheLastRunsUpToTheCatchUpLimitAreSent() {
        start(Map.of("aiusage.report.schedule.catch-up", 2));
        at("2026-06-07T12:00:00Z");
        tick();
        start(Map.of("aiusage.report.schedule.catch-up", 2));
        at("2026-07-06T09:30:00Z");   // five Mondays passed while it was down: June 8, 15, 22, 29, July 6
        tick();
        assertEquals(List.of("2026-07-06T09:00:00.000Z", "2026-06-29T09:00:00.000Z"), scheduledWeeks());
        assertEquals(2, slack.received().size());
    }

    @Test
    void theScheduleKeepsLocalTimeAcrossDaylightSaving() {
        start(Map.of("aiusage.report.schedule.time-zone", "Europe/Berlin"));
        try (HttpClient client = HttpClient.create(server.getURL())) {
            GraphQL graphql = new GraphQL(client);
            at("2026-10-13T12:00:00Z");   // summer time: 09:00 in Berlin is 07:00 UTC
            assertEquals("2026-10-19T07:00:00.000Z", Json.at(graphql.data("reportSchedule", Map.of()), "reportSchedule.nextRun"));
            at("2026-10-20T12:00:00Z");   // summer time ends on October 25: 09:00 is 08:00 UTC
            assertEquals("2026-10-26T08:00:00.000Z", Json.at(graphql.data("reportSchedule", Map.of()), "reportSchedule.nextRun"));
            assertEquals("Europe/Berlin", Json.at(graphql.data("reportSchedule", Map.of()), "reportSchedule.timeZone"));
        }
    }
}
