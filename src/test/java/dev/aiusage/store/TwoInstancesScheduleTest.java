package dev.aiusage.store;

import dev.aiusage.support.ChildServer;
import dev.aiusage.support.FakeReceiver;
import dev.aiusage.support.Postgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weekly schedule and the ticket run fire once across two service processes on one PostgreSQL. The
 * database is set up before either starts: the schedule last ran 22 days ago, so three or four Monday runs are
 * due, and 40 calls make one substitution worth $190 a month (over the $50 threshold). Both processes then tick
 * every second; Slack (a real HTTP server on loopback) gets each due run once, and Jira one ticket.
 */
@EnabledIfSystemProperty(named = "aiusage.test.engine", matches = "postgres")
class TwoInstancesScheduleTest {
    @TempDir
    Path dir;

    @Test
    void dueRunsAndTicketsAreSentOnceAcrossInstances() throws Exception {
        String url = Postgres.freshDatabaseUrl();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        Instant now = Instant.now();
        Instant lastRun = now.minus(Duration.ofDays(22));
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            try (PreparedStatement seed = db.prepareStatement("INSERT INTO schedule_state (name, last_run) VALUES ('weekly-report', ?)")) {
                seed.setObject(1, lastRun.atOffset(ZoneOffset.UTC));
                seed.executeUpdate();
            }
            try (PreparedStatement calls = db.prepareStatement("INSERT INTO usage_record (ts, provider, model, team, task_type, workflow, "
                    + "cost_usd, quality_score, passed_quality) VALUES (?, 'p', ?, 'ops', 'classify', 'support-bot', ?, 0.9, TRUE)")) {
                for (int i = 0; i < 20; i++) {
                    for (Object[] model : new Object[][] {{"big", 10.0}, {"small", 0.5}}) {
                        calls.setObject(1, now.minus(Duration.ofDays(5)).atOffset(ZoneOffset.UTC));
                        calls.setString(2, (String) model[0]);
                        calls.setDouble(3, (Double) model[1]);
                        calls.addBatch();
                    }
                }
                calls.executeBatch();
            }
        }
        try (FakeReceiver slack = FakeReceiver.answering(200, "ok");
             FakeReceiver jira = FakeReceiver.answering(201, "{\"id\":\"10001\",\"key\":\"AI-7\",\"self\":\"x\"}")) {
            String[] config = {"datasources.default.url=" + url, "datasources.default.username=postgres", "datasources.default.password=",
                    "aiusage.report.slack.webhook-url=" + slack.url("/services/T1/B1/two-instances"),
                    "aiusage.tickets.jira.url=" + jira.url(""), "aiusage.tickets.jira.project-key=AI",
                    "aiusage.tickets.jira.user=bot@example.com", "aiusage.tickets.jira.token=two-instances-token",
                    "aiusage.outbound.poll-interval=1s", "aiusage.outbound.initial-delay=1s"};
            int due = mondayRunsBetween(lastRun, now);
            try (ChildServer a = ChildServer.start(dir, ChildServer.freePort(), config);
                 ChildServer b = ChildServer.start(dir, ChildServer.freePort(), config)) {
                Instant until = Instant.now().plus(Duration.ofSeconds(60));
                while ((slack.received().size() < due || jira.received().isEmpty()) && Instant.now().isBefore(until)) {
                    Thread.sleep(200);
                }
                // several more rounds of both, which must send nothing again
                Thread.sleep(4000);
                List<FakeReceiver.Received> posts = slack.received();
                assertEquals(due, posts.size(), "one Slack post per due run");
                assertEquals(due, new HashSet<>(posts.stream().map(FakeReceiver.Received::body).toList()).size(), "no run posted twice");
                assertEquals(1, jira.received().size(), "one ticket for the one opportunity");
                assertTrue(jira.received().get(0).body().contains("support-bot"));
            }
        }
    }

    /** Mondays 09:00 UTC (the default cron, 0 9 * * MON) after {@code from}, up to {@code to}, at most the catch-up of 4. */
    private static int mondayRunsBetween(Instant from, Instant to) {
        int runs = 0;
        for (OffsetDateTime day = from.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS); !day.toInstant().isAfter(to); day = day.plusDays(1)) {
            Instant run = day.withHour(9).toInstant();
            if (day.getDayOfWeek() == DayOfWeek.MONDAY && run.isAfter(from) && !run.isAfter(to)) {
                runs++;
            }
        }
        return Math.min(runs, 4);
    }
}
