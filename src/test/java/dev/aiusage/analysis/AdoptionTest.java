package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Adoption over the four weeks [2026-10-01, 2026-10-29) for a directory of ten people and one user without an
 * entry, every classification, friction figure and pairing worked out by hand (see the comments). Active means
 * at least 5 calls a week: 20 in the window. Each peer is suggested at most once here.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.admin-key", value = AdoptionTest.ADMIN)
@Property(name = "aiusage.adoption.max-pairings-per-peer", value = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdoptionTest {
    static final String ADMIN = "adoption-admin-secret-0123456789";
    private static final Map<String, Object> WINDOW = Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-10-29T00:00:00Z");

    @Inject
    @Client("/")
    HttpClient client;
    GraphQL admin;

    /** The HR export: three good lines, three bad ones (lines 5, 6, 7), one more good line. */
    static final String PEOPLE_CSV = """
            user,display_name,team,level,start_date
            ana,Ana Alvarez,platform,PRINCIPAL,2015-03-01
            ben,Ben Brown,platform,senior,2019-06-01
            cat,"Cat, the Builder",platform,MID,2024-01-10
            bad1,Bad One,platform,WIZARD,2020-01-01
            bad2,Bad Two,platform,MID,2020-13-45
            ,No User,platform,MID,
            dan,Dan Diaz,platform,JUNIOR,2026-08-15
            """;

    /**
     * The IAM export. Requests granted inside the window: cat after 1.5 days, hal after 4, dan after 10 (median
     * 4, 90th percentile 4 + 0.8 × 6 = 8.8); ben's grant came before the window. Ana's request of Sept 1 is still
     * open (58 days at the window's end); gus was revoked on Sept 20 (39 days). Line 14 has an unknown event.
     */
    static final String ACCESS_CSV = """
            user,event,at,note
            ana,requested,2026-09-01,IT-101
            ben,requested,2026-07-20,
            ben,granted,2026-08-01,
            cat,requested,2026-10-01T00:00:00Z,
            cat,granted,2026-10-02T12:00:00Z,
            dan,requested,2026-09-30,
            dan,granted,2026-10-10,
            hal,requested,2026-09-28,
            hal,granted,2026-10-02,
            fay,granted,2026-05-01,
            gus,granted,2026-03-01,
            gus,revoked,2026-09-20,
            ivy,approved,2026-10-01,
            """;

    @BeforeAll
    void load() {
        admin = new GraphQL(client).as(ADMIN);
        Map<String, Object> imported = importCsv("/people/import", PEOPLE_CSV);
        assertEquals(4, Json.whole(imported, "accepted"), () -> "import: " + imported);
        assertEquals(List.of(
                Map.of("line", 5, "field", "level", "message", "level must be one of JUNIOR, MID, SENIOR, STAFF, PRINCIPAL"),
                Map.of("line", 6, "field", "start_date", "message", "start_date must be a date such as 2024-03-01"),
                Map.of("line", 7, "field", "user", "message", "user must not be empty")), imported.get("rejected"));

        List<Map<String, Object>> more = new ArrayList<>(List.of(
                person("eve", "Eve Evans", "search", "STAFF", "2018-02-01"),
                person("fay", "Fay Fox", "search", "SENIOR", "2021-05-01"),
                person("gus", "Gus Gray", "search", "SENIOR", "2017-01-01"),
                person("hal", "Hal Hill", "data", "MID", "2023-03-01"),
                person("ivy", "Ivy Ives", "data", "SENIOR", null),
                // starts after the window: not classified
                person("jon", "Jon Jones", "data", "JUNIOR", "2026-11-15"),
                person("nobody", "No Team", " ", "MID", null)));
        Map<String, Object> batch = admin.data("upsertPeople", Map.of("people", more));
        assertEquals(6, Json.whole(batch, "upsertPeople.accepted"));
        assertEquals(List.of(Map.of("index", 6, "field", "team", "message", "team must not be empty")), Json.at(batch, "upsertPeople.rejected"));

        Map<String, Object> events = importCsv("/people/access/import", ACCESS_CSV);
        assertEquals(12, Json.whole(events, "accepted"));
        assertEquals(List.of(Map.of("line", 14, "field", "kind", "message", "the event must be one of requested, granted, revoked")),
                events.get("rejected"));
        // the same export again stores nothing twice (the friction figures below count each grant once)
        assertEquals(12, Json.whole(importCsv("/people/access/import", ACCESS_CSV), "accepted"));

        List<Map<String, Object>> records = new ArrayList<>();
        calls(records, "cat", "platform", "deploy-review", 30);
        calls(records, "dan", "platform", "incident-summary", 5);
        calls(records, "eve", "search", "query-rewrite", 3);
        calls(records, "hal", "data", "incident-summary", 20);
        calls(records, "hal", "data", "etl-docs", 5);
        calls(records, "zed", "search", "incident-summary", 4);
        records.add(Usage.of("2026-09-15T10:00:00Z", "search", "m", "query-rewrite", "t", 0.1).set("user", "fay").map());
        admin.data("recordUsageBatch", Map.of("inputs", records));
    }

    private static Map<String, Object> person(String user, String name, String team, String level, String start) {
        Map<String, Object> p = new HashMap<>(Map.of("user", user, "displayName", name, "team", team, "level", level));
        p.put("startDate", start);
        return p;
    }

    private static void calls(List<Map<String, Object>> records, String user, String team, String workflow, int n) {
        for (int i = 0; i < n; i++) {
            records.add(Usage.of("2026-10-1" + (i % 9) + "T10:00:00Z", team, "m", workflow, "t", 0.1).set("user", user).map());
        }
    }

    private Map<String, Object> importCsv(String path, String csv) {
        return client.toBlocking().retrieve(HttpRequest.POST(path, csv).contentType("text/csv").bearerAuth(ADMIN),
                Argument.mapOf(String.class, Object.class));
    }

    private Map<String, Object> adoption(GraphQL as, Map<String, Object> more) {
        Map<String, Object> variables = new HashMap<>(WINDOW);
        variables.putAll(more);
        return as.data("adoption", variables);
    }

    @Test
    void everyoneIsClassifiedAsWorkedOut() {
        Map<String, Object> data = adoption(admin, Map.of());
        assertEquals(20.0, Json.number(data, "adoption.activeThreshold"), 1e-9);
        List<?> people = Json.list(data, "adoption.people");
        assertEquals(List.of("cat:ACTIVE:30", "hal:ACTIVE:25", "dan:LOW:5", "eve:LOW:3", "ben:NOT_ENGAGED:0",
                        "ana:BLOCKED:0", "gus:BLOCKED:0", "ivy:BLOCKED:0", "fay:LAPSED:0", "zed:UNKNOWN:4"),
                people.stream().map(p -> Json.at(p, "user") + ":" + Json.at(p, "status") + ":" + Json.at(p, "calls")).toList());

        Map<?, ?> ana = find(people, "ana");
        assertEquals("REQUEST_PENDING", ana.get("blockedReason"));
        assertEquals(58.0, Json.number(ana, "daysWaiting"), 1e-9);
        assertEquals(false, ana.get("hasAccess"));
        Map<?, ?> gus = find(people, "gus");
        assertEquals("REVOKED", gus.get("blockedReason"));
        assertEquals(39.0, Json.number(gus, "daysWaiting"), 1e-9);
        Map<?, ?> ivy = find(people, "ivy");
        assertEquals("NEVER_GRANTED", ivy.get("blockedReason"));
        assertNull(ivy.get("daysWaiting"));
        assertEquals("unknown", ivy.get("tenureBand"));
        Map<?, ?> fay = find(people, "fay");
        assertEquals("2026-09-15", fay.get("lastActiveDayBefore"));
        assertEquals(true, fay.get("hasAccess"));
        Map<?, ?> dan = find(people, "dan");
        assertEquals(75, Json.whole(dan, "tenureDays"));
        assertEquals("under 3 months", dan.get("tenureBand"));
        assertEquals(0.5, Json.number(dan, "cost"), 1e-9);
        Map<?, ?> zed = find(people, "zed");
        assertEquals("search", zed.get("team"));
        assertNull(zed.get("level"));
        assertEquals("Cat, the Builder", find(people, "cat").get("displayName"));

        assertEquals(List.of("ACTIVE:2:0.2", "LOW:2:0.2", "NOT_ENGAGED:1:0.1", "BLOCKED:3:0.3", "LAPSED:1:0.1", "UNKNOWN:1:0.1"),
                Json.list(data, "adoption.byStatus").stream().map(s -> Json.at(s, "status") + ":" + Json.at(s, "count") + ":" + Json.at(s, "share")).toList());
        assertEquals(List.of("ana", "gus", "ivy"), users(Json.list(data, "adoption.byStatus[3].people")));
    }

    /**
     * The last day of use counts the part of the window's first day before it (fay's one call, 2026-09-15 at 10:00):
     * a window from 12:00 that day sees it there, one from 09:00 has it inside and nothing before.
     */
    @Test
    void theLastDayOfUseCountsTheFirstDayUpToTheWindow() {
        assertEquals("READY", admin.awaitIndexes().get("people"));
        Map<?, ?> after = find(Json.list(admin.data("adoption", Map.of("from", "2026-09-15T12:00:00Z", "to", "2026-10-29T00:00:00Z")),
                "adoption.people"), "fay");
        assertEquals("2026-09-15", after.get("lastActiveDayBefore"));
        assertEquals(0, Json.whole(after, "calls"));
        Map<?, ?> before = find(Json.list(admin.data("adoption", Map.of("from", "2026-09-15T09:00:00Z", "to", "2026-10-29T00:00:00Z")),
                "adoption.people"), "fay");
        assertNull(before.get("lastActiveDayBefore"));
        assertEquals(1, Json.whole(before, "calls"));
    }

    @Test
    void countsPerLevelTenureAndTeam() {
        Map<String, Object> data = adoption(admin, Map.of());
        // key: people active low notEngaged blocked lapsed unknown activeShare
        assertEquals(List.of("JUNIOR 1 0 1 0 0 0 0 0.0", "MID 2 2 0 0 0 0 0 1.0", "SENIOR 4 0 0 1 2 1 0 0.0",
                "STAFF 1 0 1 0 0 0 0 0.0", "PRINCIPAL 1 0 0 0 1 0 0 0.0"), groups(data, "byLevel"));
        assertEquals(List.of("under 3 months 1 0 1 0 0 0 0 0.0", "1-3 years 1 1 0 0 0 0 0 1.0", "3-5 years 1 1 0 0 0 0 0 1.0",
                "5+ years 5 0 1 1 2 1 0 0.0", "unknown 1 0 0 0 1 0 0 0.0"), groups(data, "byTenure"));
        assertEquals(List.of("data 2 1 0 0 1 0 0 0.5", "platform 4 1 1 1 1 0 0 0.25", "search 4 0 1 0 1 1 1 0.0"), groups(data, "byTeam"));
    }

    @Test
    void frictionAndSeniorsAtZero() {
        Map<String, Object> data = adoption(admin, Map.of());
        assertEquals(Map.of("grantsInWindow", 3, "medianDaysToGrant", 4.0, "p90DaysToGrant", 8.8, "openRequests", 1,
                "oldestOpenRequestDays", 58.0, "oldestOpenRequestUser", "ana"), roundedFriction(data));
        assertEquals(5, Json.whole(data, "adoption.seniorsAtZero.count"));
        assertEquals(List.of("ana", "gus", "ivy"), users(Json.list(data, "adoption.seniorsAtZero.blocked")));
        assertEquals(List.of("ben", "fay"), users(Json.list(data, "adoption.seniorsAtZero.notEngaging")));
    }

    /**
     * Seniors with access and little or no use, most senior first: eve (STAFF, 3 calls), then ben and fay
     * (SENIOR, 0). Search has no active peer, and platform and data each share one of search's two workflows
     * (Jaccard 1/3 both): the busier cat wins. Cat is then used up, so ben (platform) goes to hal, whose data
     * team shares incident-summary with platform. Nobody is left for fay.
     */
    @Test
    void pairingsFollowTeamsThenSharedWorkflowsAndUseEachPeerOnce() {
        Map<String, Object> data = adoption(admin, Map.of());
        List<?> pairings = Json.list(data, "adoption.pairings");
        assertEquals(List.of("eve>cat:false:[incident-summary]", "ben>hal:false:[incident-summary]"), pairings.stream()
                .map(p -> Json.at(p, "senior.user") + ">" + Json.at(p, "peer.user") + ":" + Json.at(p, "sameTeam") + ":" + Json.at(p, "sharedWorkflows"))
                .toList());
        assertEquals("no active peer with room in search; platform shares 1 of its workflows (incident-summary) and Cat, the Builder is active there (30 calls)",
                Json.at(pairings.get(0), "reason"));
        assertEquals(List.of("fay"), users(Json.list(data, "adoption.unpaired")));
    }

    /**
     * The week [Oct 12, Oct 19): cat 22 calls and hal 17 are active (5 a week), dan 3 and eve 1 are low; the
     * rest are as in the four weeks, and ana's request has waited 48 days by Oct 19.
     */
    @Test
    void theWeeklyReportHasTheAdoptionSection() {
        String markdown = (String) Json.at(admin.data("weeklyReport", Map.of("weekEnding", "2026-10-19T00:00:00Z")), "weeklyReport.markdown");
        assertEquals("""
                ## Adoption (last 7 days)
                - Active share by level: JUNIOR 0% (0 of 1), MID 100% (2 of 2), SENIOR 0% (0 of 4), STAFF 0% (0 of 1), PRINCIPAL 0% (0 of 1)
                - Seniors at zero: 5 (blocked: Ana Alvarez, Gus Gray, Ivy Ives; not engaging: Ben Brown, Fay Fox)
                - Oldest open access request: ana, waiting 48 days (1 open request)
                - Pair Eve Evans (STAFF, search) with Cat, the Builder (platform, shares incident-summary)
                - Pair Ben Brown (SENIOR, platform) with Hal Hill (data, shares incident-summary)
                """, markdown.substring(markdown.indexOf("## Adoption")));
    }

    @Test
    void accessEventsComeInBatchesTooAndBadOnesAreRefusedAlone() {
        List<Map<String, Object>> events = List.of(
                Map.of("user", "outsider", "kind", "REQUESTED", "at", "2026-10-05T09:00:00Z", "note", "IT-7"),
                Map.of("user", "outsider", "kind", "GRANTED", "at", "2099-01-01T00:00:00Z"),
                Map.of("user", "outsider", "kind", "GRANTED", "at", "2026-10-06T09:00:00Z", "note", "bad\u0007note"));
        Map<String, Object> result = admin.data("recordAccessEvents", Map.of("events", events));
        assertEquals(1, Json.whole(result, "recordAccessEvents.accepted"));
        assertEquals(List.of("1:at", "2:note"), Json.list(result, "recordAccessEvents.rejected").stream()
                .map(r -> Json.at(r, "index") + ":" + Json.at(r, "field")).toList());
    }

    @Test
    void aLowerBarMovesPeopleFromLowToActive() {
        // 1 call a week is 4 in the window: dan (5 calls) becomes ACTIVE, eve (3) stays LOW
        List<?> people = Json.list(adoption(admin, Map.of("activeCallsPerWeek", 1.0)), "adoption.people");
        assertEquals("ACTIVE", find(people, "dan").get("status"));
        assertEquals("LOW", find(people, "eve").get("status"));
        GraphQL.onlyError(admin.run("adoption", Map.of("activeCallsPerWeek", 0.0)), "BAD_USER_INPUT", "activeCallsPerWeek");
    }

    @Test
    void aTeamKeySeesOnlyItsOwnTeamsPeople() {
        String secret = (String) Json.at(admin.data("createApiKey", Map.of("name", "search lead", "role", "TEAM", "team", "search")),
                "createApiKey.secret");
        GraphQL search = new GraphQL(client).as(secret);
        assertEquals(List.of("eve", "fay", "gus", "zed"),
                users(Json.list(adoption(search, Map.of()), "adoption.people")).stream().sorted().toList());
        assertEquals(List.of("eve", "fay", "gus"), users(Json.list(search.data("people", Map.of()), "people")));
        GraphQL.onlyError(search.run("adoption", Map.of("teams", List.of("platform"))), "FORBIDDEN", "filter.teams");
        GraphQL.onlyError(search.run("people", Map.of("teams", List.of("platform"))), "FORBIDDEN", "filter.teams");
        GraphQL.onlyError(search.run("adoptionTrend", Map.of("teams", List.of("platform"))), "FORBIDDEN", "filter.teams");
        GraphQL.onlyError(search.run("powerUsers", Map.of("team", "platform")), "FORBIDDEN", "team");
        GraphQL.onlyError(search.run("upsertPeople", Map.of("people", List.of(person("x", "X", "search", "MID", null)))), "FORBIDDEN", null);
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> client.toBlocking().exchange(
                HttpRequest.POST("/people/import", PEOPLE_CSV).contentType("text/csv").bearerAuth(secret), String.class));
        assertEquals(403, refused.getStatus().getCode());
    }

    @Test
    void aFileWithoutTheColumnsOrNotCsvIsRefusedWhole() {
        for (String csv : List.of("name,team\nana,platform\n", "user,display_name,team,level,start_date\n\"ana,Ana,platform,MID,\n")) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> client.toBlocking().exchange(
                    HttpRequest.POST("/people/import", csv).contentType(MediaType.TEXT_PLAIN).bearerAuth(ADMIN), String.class));
            assertEquals(400, e.getStatus().getCode());
            String body = e.getResponse().getBody(String.class).orElse("");
            assertEquals("BAD_USER_INPUT", Json.at(Json.parse(body), "error.code"));
            Safety.assertNoInternals(body);
        }
    }

    private static Map<?, ?> find(List<?> people, String user) {
        return (Map<?, ?>) people.stream().filter(p -> user.equals(Json.at(p, "user"))).findFirst().orElseThrow(() -> new AssertionError("no " + user));
    }

    private static List<Object> users(List<?> people) {
        return people.stream().map(p -> Json.at(p, "user")).toList();
    }

    private static List<String> groups(Map<String, Object> data, String field) {
        return Json.list(data, "adoption." + field).stream().map(g -> Json.at(g, "key") + " " + Json.at(g, "people") + " "
                + Json.at(g, "active") + " " + Json.at(g, "low") + " " + Json.at(g, "notEngaged") + " " + Json.at(g, "blocked") + " "
                + Json.at(g, "lapsed") + " " + Json.at(g, "unknown") + " " + Json.number(g, "activeShare")).toList();
    }

    private static Map<String, Object> roundedFriction(Map<String, Object> data) {
        Map<?, ?> f = (Map<?, ?>) Json.at(data, "adoption.friction");
        Map<String, Object> rounded = new HashMap<>();
        f.forEach((k, v) -> rounded.put((String) k, v instanceof Double d ? Math.round(d * 1e9) / 1e9 : v));
        return rounded;
    }
}
