package dev.aiusage.tickets;

import dev.aiusage.report.DeliveryScheduler;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tickets for substitution opportunities, filed in a Jira and a ClickUp that are real HTTP servers on
 * loopback. The steps build on each other, as a deployment's weeks do: a dry run, the first filing, a run that
 * files nothing new, a changed suggestion, a failed filing that is retried; tokens show nowhere.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubstitutionTicketTest implements TestPropertyProvider {
    /** With characters that URL-encoding and JSON escaping change, as Atlassian tokens have ('=', '-', '_'). */
    private static final String JIRA_TOKEN = "jiraT0ken+ABC/DEF=123\"456";
    private static final String CLICKUP_TOKEN = "pk_4242_CLICKUPSECRET99";
    private static final String JIRA_AUTH = "Basic " + Base64.getEncoder()
            .encodeToString(("bot@example.com:" + JIRA_TOKEN).getBytes(StandardCharsets.UTF_8));
    private final FakeReceiver jira = FakeReceiver.answering(201, "{\"id\":\"10001\",\"key\":\"AI-7\",\"self\":\"x\"}");
    private final FakeReceiver clickUp = FakeReceiver.answering(200, "{\"id\":\"86a1b2\",\"url\":\"https://app.clickup.com/t/86a1b2\"}");
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
        return Map.of("test.manual-clock", "true",
                "aiusage.tickets.jira.url", jira.url(""),
                "aiusage.tickets.jira.project-key", "AI",
                "aiusage.tickets.jira.user", "bot@example.com",
                "aiusage.tickets.jira.token", JIRA_TOKEN,
                "aiusage.tickets.clickup.url", clickUp.url(""),
                "aiusage.tickets.clickup.list-id", "901234",
                "aiusage.tickets.clickup.token", CLICKUP_TOKEN);
    }

    /**
     * In the 30 days before 2026-08-01: on support-bot / classify, {@code big} at $10.00 and {@code small} at
     * $0.50 a call, 20 scored calls each at the same quality, so switching saves (10 − 0.5) × 20 = $190.00 a
     * month; on digest / summarize, a switch worth $0.38 a month, under the $50 threshold. On noisy-flow / classify
     * the same prices and $190.00 a month, but quality that varies: big scores 0.9 and 0.7 ten times each (mean 0.8),
     * small 0.88 and 0.68 (mean 0.78), so d = 0.02, s² = 20 × 0.1² / 19 = 0.0105263 for each, se = √(2 × 0.0105263 / 20)
     * = 0.032444, ν = 38, t = (0.02 − 0.05) / 0.032444 = −0.9247 and p ≈ 0.18: not shown as good, so not filed.
     */
    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        clock.set("2026-08-01T00:00:00Z");
        record("support-bot", "classify", "big", 10.0);
        record("support-bot", "classify", "small", 0.5);
        record("digest", "summarize", "mid", 0.02);
        record("digest", "summarize", "tiny", 0.001);
        recordVarying("noisy-flow", "big", 10.0, 0.9, 0.7);
        recordVarying("noisy-flow", "small", 0.5, 0.88, 0.68);
    }

    private void recordVarying(String workflow, String model, double cost, double high, double low) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(Usage.of("2026-07-20T10:00:00Z", "ops", model, workflow, "classify", cost).quality(i % 2 == 0 ? high : low, true).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    private void record(String workflow, String task, String model, double cost) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(Usage.of("2026-07-20T10:00:00Z", "ops", model, workflow, task, cost).quality(0.9, true).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    @AfterAll
    void stop() {
        jira.close();
        clickUp.close();
        logs.close();
    }

    /**
     * Every call of a model here costs and scores the same, so nothing varies: the interval of the difference is the
     * difference itself (0), the test's statistic is −∞ and p = 0, and the savings' interval is the savings.
     */
    private static String verdict(String savings) {
        return "RECOMMENDED at 95%: quality diff +0.000 to +0.000, adjusted p <0.0001, savings " + savings + " to " + savings
                + "/mo (Welch interval of the quality difference; non-inferiority test against the margin, Holm-adjusted over all "
                + "suggestions of the run)";
    }

    private static Map<String, Object> expectedJira(String workflow, String task, String suggested, String savings) {
        return Map.of("fields", Map.of(
                "project", Map.of("key", "AI"),
                "issuetype", Map.of("name", "Task"),
                "summary", "Switch " + workflow + " / " + task + " from big to " + suggested + ": save about " + savings + " a month",
                "description", "ai-usage-analytics found a cheaper model whose measured quality on this workflow and task type is as "
                        + "good as the model in use.\n\n"
                        + "* *Workflow:* " + workflow + "\n"
                        + "* *Task type:* " + task + "\n"
                        + "* *Current model:* big\n"
                        + "* *Suggested model:* " + suggested + "\n"
                        + "* *Quality difference:* +0.00 (current minus suggested average quality; measured on 20 scored calls of big and 20 scored calls of " + suggested + ")\n"
                        + "* *Cost ratio:* " + (suggested.equals("small") ? "20.0×" : "100.0×") + " (average cost per call, current over suggested)\n"
                        + "* *Estimated monthly savings:* " + savings + " (at the volume of 20 calls in the window)\n"
                        + "* *Verdict:* " + verdict(savings) + "\n"
                        + "* *Measured over:* 2026-07-02 00:00 to 2026-08-01 00:00 UTC (30 days)",
                "labels", List.of("ai-usage-analytics", "model-substitution")));
    }

    private static final Map<String, Object> EXPECTED_CLICKUP = Map.of(
            "name", "Switch support-bot / classify from big to small: save about $190.00 a month",
            "markdown_description", "ai-usage-analytics found a cheaper model whose measured quality on this workflow and task type is as "
                    + "good as the model in use.\n\n"
                    + "- **Workflow:** support-bot\n"
                    + "- **Task type:** classify\n"
                    + "- **Current model:** big\n"
                    + "- **Suggested model:** small\n"
                    + "- **Quality difference:** +0.00 (current minus suggested average quality; measured on 20 scored calls of big and 20 scored calls of small)\n"
                    + "- **Cost ratio:** 20.0× (average cost per call, current over suggested)\n"
                    + "- **Estimated monthly savings:** $190.00 (at the volume of 20 calls in the window)\n"
                    + "- **Verdict:** " + verdict("$190.00") + "\n"
                    + "- **Measured over:** 2026-07-02 00:00 to 2026-08-01 00:00 UTC (30 days)",
            "tags", List.of("ai-usage-analytics", "model-substitution"));

    @Test
    @Order(1)
    void aDryRunShowsTheExactTicketsAndFilesNothing() {
        Map<String, Object> run = file(true);
        assertEquals(50.0, Json.number(run, "threshold"));
        assertEquals(List.of("JIRA", "CLICKUP"), run.get("destinations"));
        // noisy-flow saves as much by the point estimates, but its verdict is NEEDS_MORE_DATA: no ticket
        assertEquals(List.of("support-bot"), Json.list(run, "opportunities").stream().map(o -> Json.at(o, "workflow")).toList());
        assertEquals(190.0, Json.number(run, "opportunities[0].estMonthlySavings"), 1e-9);
        List<?> drafts = Json.list(run, "drafts");
        assertEquals(List.of("JIRA", "CLICKUP"), drafts.stream().map(d -> Json.at(d, "destination")).toList());
        assertEquals(expectedJira("support-bot", "classify", "small", "$190.00"), Json.parse((String) Json.at(drafts.get(0), "payload")));
        assertEquals(EXPECTED_CLICKUP, Json.parse((String) Json.at(drafts.get(1), "payload")));
        assertEquals(List.of(), Json.list(run, "created"));
        assertEquals(List.of(), jira.received());
        assertEquals(List.of(), clickUp.received());
        assertEquals(List.of(), tickets());
    }

    @Test
    @Order(2)
    void eachTrackerGetsOneTicketWithTheExactBodyAndCredentials() {
        Map<String, Object> run = file(false);
        List<?> created = Json.list(run, "created");
        assertEquals(2, created.size());

        FakeReceiver.Received toJira = jira.received().get(0);
        assertEquals(1, jira.received().size());
        assertEquals("POST", toJira.method());
        assertEquals("/rest/api/2/issue", toJira.path());
        assertEquals(JIRA_AUTH, toJira.header("Authorization"));
        assertTrue(toJira.header("Content-Type").startsWith("application/json"));
        assertEquals(expectedJira("support-bot", "classify", "small", "$190.00"), Json.parse(toJira.body()));

        FakeReceiver.Received toClickUp = clickUp.received().get(0);
        assertEquals(1, clickUp.received().size());
        assertEquals("POST", toClickUp.method());
        assertEquals("/api/v2/list/901234/task", toClickUp.path());
        assertEquals(CLICKUP_TOKEN, toClickUp.header("Authorization"));
        assertEquals(EXPECTED_CLICKUP, Json.parse(toClickUp.body()));

        Map<?, ?> jiraTicket = (Map<?, ?>) created.get(0);
        assertEquals("JIRA", jiraTicket.get("destination"));
        assertEquals("SENT", jiraTicket.get("status"));
        assertEquals("AI-7", jiraTicket.get("ticketKey"));
        assertEquals(jira.url("/browse/AI-7"), jiraTicket.get("ticketUrl"));
        assertEquals("small", jiraTicket.get("suggestedModel"));
        assertEquals(20, Json.whole(jiraTicket, "currentSamples"));
        assertEquals(20.0, Json.number(jiraTicket, "costRatio"), 1e-9);
        assertEquals("2026-07-02T00:00:00.000Z", jiraTicket.get("windowFrom"));
        assertEquals("2026-08-01T00:00:00.000Z", jiraTicket.get("filedAt"));
        Map<?, ?> clickUpTicket = (Map<?, ?>) created.get(1);
        assertEquals("86a1b2", clickUpTicket.get("ticketKey"));
        assertEquals("https://app.clickup.com/t/86a1b2", clickUpTicket.get("ticketUrl"));

        // the next week's check: the same suggestion, nothing new
        clock.advance(Duration.ofDays(1));
        Map<String, Object> again = file(false);
        assertEquals(List.of(), Json.list(again, "created"));
        assertEquals(2, Json.list(again, "alreadyFiled").size());
        assertEquals(1, jira.received().size());
        assertEquals(1, clickUp.received().size());
        clock.set("2026-08-01T00:00:00Z");
    }

    @Test
    @Order(3)
    void aChangedSuggestionFilesANewTicket() {
        // an even cheaper model as good as the others: big's best replacement is now nano
        record("support-bot", "classify", "nano", 0.1);
        Map<String, Object> run = file(false);
        List<?> created = Json.list(run, "created");
        assertEquals(List.of("nano", "nano"), created.stream().map(t -> Json.at(t, "suggestedModel")).toList());
        assertEquals(expectedJira("support-bot", "classify", "nano", "$198.00"), Json.parse(jira.received().get(1).body()));
        assertEquals(2, jira.received().size());
        assertEquals(2, clickUp.received().size());
        // the tickets for big → small stay on record
        assertEquals(List.of("nano", "nano", "small", "small"), tickets().stream().map(t -> Json.at(t, "suggestedModel")).toList());
    }

    @Test
    @Order(4)
    void aFailedFilingIsRetriedAndTheTokenIsMaskedInItsError() {
        record("retry-flow", "extract", "big", 10.0);
        record("retry-flow", "extract", "small", 0.5);
        // the token echoed as it was sent, URL-encoded, JSON-escaped, and the basic-auth header's Base64
        jira.failNext(500, "{\"errorMessages\":[\"token " + JIRA_TOKEN.replace("\"", "\\\"") + " rejected\",\""
                + java.net.URLEncoder.encode(JIRA_TOKEN, StandardCharsets.UTF_8) + "\",\"" + JIRA_AUTH.substring("Basic ".length()) + "\"]}");
        Map<String, Object> run = file(false);
        Map<?, ?> jiraTicket = (Map<?, ?>) Json.list(run, "created").get(0);
        assertEquals("RETRYING", jiraTicket.get("status"));
        assertEquals("HTTP 500: {\"errorMessages\":[\"token *** rejected\",\"***\",\"***\"]}", Json.at(jiraTicket, "attempts[0].error"));
        assertEquals("2026-08-01T00:01:00.000Z", jiraTicket.get("nextAttemptAt"));
        assertEquals("SENT", Json.at(Json.list(run, "created").get(1), "status"));

        clock.advance(Duration.ofSeconds(61));
        scheduler.tick();
        Map<?, ?> after = (Map<?, ?>) tickets().stream().filter(t -> Json.at(t, "id").equals(jiraTicket.get("id"))).findFirst().orElseThrow();
        assertEquals("SENT", after.get("status"));
        assertEquals("AI-7", after.get("ticketKey"));
        assertEquals(2, ((List<?>) after.get("attempts")).size());
        List<FakeReceiver.Received> received = jira.received();
        assertEquals(received.get(received.size() - 2).body(), received.get(received.size() - 1).body());
        assertNull(after.get("nextAttemptAt"));
    }

    /** Runs racing each other over a new suggestion: one ticket per tracker, no error for anyone. */
    @Test
    @Order(5)
    void concurrentRunsFileEachSuggestionOnce() throws Exception {
        record("race-flow", "extract", "big", 10.0);
        record("race-flow", "extract", "small", 0.5);
        int jiraBefore = jira.received().size();
        int clickUpBefore = clickUp.received().size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, Object>>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> file(false)));
            }
            for (Future<Map<String, Object>> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(jiraBefore + 1, jira.received().size());
        assertEquals(clickUpBefore + 1, clickUp.received().size());
        assertEquals(2, tickets().stream().filter(t -> "race-flow".equals(Json.at(t, "workflow"))).count());
    }

    /** With trackers and no Slack, the weekly schedule still runs, and the ticket check follows each run. */
    @Test
    @Order(6)
    void theScheduledRunFilesTicketsWithoutSlack() {
        assertEquals(Map.of("enabled", true, "destinations", List.of("jira", "clickup"), "nextRun", "2026-08-03T09:00:00.000Z"),
                Map.of("enabled", Json.at(schedule(), "enabled"), "destinations", Json.at(schedule(), "destinations"),
                        "nextRun", Json.at(schedule(), "nextRun")));
        record("weekly-flow", "extract", "big", 10.0);
        record("weekly-flow", "extract", "small", 0.5);
        int before = jira.received().size();
        scheduler.tick();                          // Saturday: no run due, nothing filed
        assertEquals(before, jira.received().size());
        clock.set("2026-08-03T09:00:30Z");         // Monday 09:00 has passed
        scheduler.tick();
        List<FakeReceiver.Received> received = jira.received();
        assertEquals(before + 1, received.size());
        assertTrue(received.get(before).body().contains("weekly-flow"), received.get(before).body());
        assertEquals(List.of(), Json.list(graphql.data("reportDeliveries", Map.of()), "reportDeliveries"));
    }

    private Map<?, ?> schedule() {
        return (Map<?, ?>) Json.at(graphql.data("reportSchedule", Map.of()), "reportSchedule");
    }

    @Test
    @Order(7)
    void tokensShowNowhere() {
        answers.add(tickets().toString());
        String basic = JIRA_AUTH.substring("Basic ".length());
        for (String answer : answers) {
            assertFalse(answer.contains(JIRA_TOKEN) || answer.contains(CLICKUP_TOKEN) || answer.contains(basic), "an answer holds a token");
        }
        String logged = logs.text();
        assertTrue(logged.contains("failed"), "the failed filing was logged");
        assertFalse(logged.contains(JIRA_TOKEN) || logged.contains(CLICKUP_TOKEN) || logged.contains(basic), "the log holds a token");
    }

    private Map<String, Object> file(boolean dryRun) {
        Map<String, Object> response = graphql.run("fileSubstitutionTickets", Map.of("dryRun", dryRun));
        answers.add(response.toString());
        assertNull(response.get("errors"), () -> "errors: " + response.get("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) Json.at(response, "data.fileSubstitutionTickets");
        return run;
    }

    private List<?> tickets() {
        Map<String, Object> data = graphql.data("substitutionTickets", Map.of());
        answers.add(data.toString());
        return Json.list(data, "substitutionTickets");
    }
}
