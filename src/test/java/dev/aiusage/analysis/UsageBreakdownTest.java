package dev.aiusage.analysis;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.ManualClock;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The usage breakdown over HTTP, on calls whose answers were worked out by hand: groupings with the token split,
 * limit and otherRows, the previous window, UTC days, days in India (+05:30), a month there, a daylight-saving
 * week and hour in Berlin, quarter hours, and refusals. Teams {@code mon}, {@code dst} and {@code q} hold the
 * calendar cases, each read with a filter on its team so the other calls stay out.
 */
@MicronautTest(transactional = false)
@Property(name = "test.manual-clock", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageBreakdownTest {
    private static final String QUERY = """
            query($from: DateTime, $to: DateTime, $filter: UsageFilter, $groupBy: [Dimension!], $bucket: Bucket,
                  $timeZone: String, $orderBy: UsageOrder, $limit: Int, $comparePrevious: Boolean) {
              usage(from: $from, to: $to, filter: $filter, groupBy: $groupBy, bucket: $bucket, timeZone: $timeZone,
                    orderBy: $orderBy, limit: $limit, comparePrevious: $comparePrevious) {
                rows { bucketStart team user provider model workflow taskType
                  measures { ...m } previous { ...m } }
                total { ...m } otherRows { ...m } truncated previousTotal { ...m }
              }
            }
            fragment m on UsageMeasures { cost requests inputTokens outputTokens tokens avgLatencyMs scoredRequests avgQuality passRate }
            """;

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    ManualClock clock;
    GraphQL graphql;

    /**
     * Window [Nov 2, Nov 9) UTC holds R1–R5; R6 lies on its end (out), R7 just before it (in the previous window).
     * <pre>
     * R1 11-02T10:00Z a m1/p1 u1 wf1 $1.00 in 100 out 50 latency 100 quality 0.8 passed
     * R2 11-02T23:30Z a m2/p2 u2 wf1 $2.00 in 200 out 20 latency 300
     * R3 11-03T00:10Z b m1/p1 u1 wf2 $0.50 in  10 out  5            quality 0.6 failed
     * R4 11-05T12:00Z a m1/p1 —  wf2 $1.50 in  30 out 30 latency 200 quality 1.0 passed
     * R5 11-08T23:59Z b m2/p2 u2 wf1 $3.00 in   0 out  0
     * R6 11-09T00:00Z a m1/p1 u1 wf1 $10
     * R7 11-01T23:59:59Z a m1/p1 u1 wf1 $20
     * </pre>
     */
    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        clock.set("2026-12-01T00:00:00Z");
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(call("2026-11-02T10:00:00Z", "a", "m1", "p1", "u1", "wf1", 1.00).tokens(100, 50).latency(100).quality(0.8, true).map());
        records.add(call("2026-11-02T23:30:00Z", "a", "m2", "p2", "u2", "wf1", 2.00).tokens(200, 20).latency(300).map());
        records.add(call("2026-11-03T00:10:00Z", "b", "m1", "p1", "u1", "wf2", 0.50).tokens(10, 5).quality(0.6, false).map());
        records.add(call("2026-11-05T12:00:00Z", "a", "m1", "p1", null, "wf2", 1.50).tokens(30, 30).latency(200).quality(1.0, true).map());
        records.add(call("2026-11-08T23:59:00Z", "b", "m2", "p2", "u2", "wf1", 3.00).tokens(0, 0).map());
        records.add(call("2026-11-09T00:00:00Z", "a", "m1", "p1", "u1", "wf1", 10).map());
        records.add(call("2026-11-01T23:59:59Z", "a", "m1", "p1", "u1", "wf1", 20).map());
        // a month in India: Oct 31 23:59 and Nov 1 00:00 IST on either side of the month's edge
        records.add(call("2026-10-20T12:00:00Z", "mon", "m1", "p1", "u1", "wf1", 1).map());
        records.add(call("2026-10-31T18:29:00Z", "mon", "m1", "p1", "u1", "wf1", 2).map());
        records.add(call("2026-10-31T18:30:00Z", "mon", "m1", "p1", "u1", "wf1", 4).map());
        records.add(call("2026-11-10T00:00:00Z", "mon", "m1", "p1", "u1", "wf1", 8).map());
        // Berlin leaves summer time on Sunday Oct 25 at 01:00 UTC (03:00 CEST becomes 02:00 CET)
        records.add(call("2026-10-18T21:59:00Z", "dst", "m1", "p1", "u1", "wf1", 2).map());  // Sun Oct 18 23:59 CEST
        records.add(call("2026-10-18T22:00:00Z", "dst", "m1", "p1", "u1", "wf1", 1).map());  // Mon Oct 19 00:00 CEST
        records.add(call("2026-10-25T00:30:00Z", "dst", "m1", "p1", "u1", "wf1", 16).map()); // 02:30 CEST
        records.add(call("2026-10-25T01:30:00Z", "dst", "m1", "p1", "u1", "wf1", 32).map()); // 02:30 CET
        records.add(call("2026-10-25T22:59:00Z", "dst", "m1", "p1", "u1", "wf1", 4).map());  // Sun Oct 25 23:59 CET
        records.add(call("2026-10-25T23:00:00Z", "dst", "m1", "p1", "u1", "wf1", 8).map());  // Mon Oct 26 00:00 CET
        // quarter hours
        records.add(call("2026-11-12T10:14:59Z", "q", "m1", "p1", "u1", "wf1", 1).map());
        records.add(call("2026-11-12T10:15:00Z", "q", "m1", "p1", "u1", "wf1", 2).map());
        records.add(call("2026-11-12T10:29:00Z", "q", "m1", "p1", "u1", "wf1", 4).map());
        // latencies 1 to 200 ms, one call a minute from Nov 20 22:00, so the window below takes whole hours and days
        // of the team cube, and 15-minute buckets and raw records at its edges
        for (int ms = 1; ms <= 200; ms++) {
            records.add(call(java.time.Instant.parse("2026-11-20T22:00:00Z").plusSeconds(60L * ms).toString(), "lat", ms % 2 == 0 ? "m1" : "m2",
                    "p1", "u1", "wf1", 0.01).latency(ms).map());
        }
        graphql.data("recordUsageBatch", Map.of("inputs", records));
    }

    private static Usage call(String ts, String team, String model, String provider, String user, String workflow, double cost) {
        return Usage.of(ts, team, model, workflow, "chat", cost).set("provider", provider).set("user", user);
    }

    private Map<String, Object> usage(Map<String, Object> variables) {
        Map<String, Object> response = graphql.post(QUERY, variables);
        assertNull(response.get("errors"), () -> "errors: " + response.get("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) Json.at(response, "data.usage");
        return usage;
    }

    private static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("from", "2026-11-02T00:00:00Z");
        vars.put("to", "2026-11-09T00:00:00Z");
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put((String) pairs[i], pairs[i + 1]);
        }
        return vars;
    }

    /** Each row as "values… cost requests", the values of the named fields in order. */
    private static List<String> brief(Map<String, Object> usage, String... fields) {
        List<String> rows = new ArrayList<>();
        for (Object row : Json.list(usage, "rows")) {
            StringBuilder line = new StringBuilder();
            for (String field : fields) {
                line.append(Json.at(row, field)).append(' ');
            }
            rows.add(line.append(Json.number(row, "measures.cost")).append(' ').append(Json.whole(row, "measures.requests")).toString());
        }
        return rows;
    }

    @Test
    void byTeamAndModelWithTheTokenSplitAndAverages() {
        Map<String, Object> usage = usage(vars("groupBy", List.of("TEAM", "MODEL")));
        assertEquals(List.of("b m2 3.0 1", "a m1 2.5 2", "a m2 2.0 1", "b m1 0.5 1"), brief(usage, "team", "model"));
        Object am1 = Json.list(usage, "rows").get(1);
        assertEquals(Map.of("cost", 2.5, "requests", 2, "inputTokens", 130, "outputTokens", 80, "tokens", 210, "avgLatencyMs", 150.0,
                "scoredRequests", 2, "avgQuality", 0.9, "passRate", 1.0), Json.at(am1, "measures"));
        Object bm1 = Json.list(usage, "rows").get(3);
        assertNull(Json.at(bm1, "measures.avgLatencyMs"));
        assertEquals(0.0, Json.number(bm1, "measures.passRate"));
        assertNull(Json.at(bm1, "user"), "only the dimensions grouped by are set");
        assertEquals(8.0, Json.number(usage, "total.cost"));
        assertEquals(5, Json.whole(usage, "total.requests"));
        assertEquals(340, Json.whole(usage, "total.inputTokens"));
        assertEquals(105, Json.whole(usage, "total.outputTokens"));
        assertEquals(445, Json.whole(usage, "total.tokens"));
        assertEquals(false, usage.get("truncated"));
        assertNull(usage.get("otherRows"));
        assertNull(usage.get("previousTotal"));
    }

    @Test
    void noGroupingIsOneRowOfTheWindow() {
        Map<String, Object> usage = usage(vars());
        assertEquals(List.of("null 8.0 5"), brief(usage, "bucketStart"));
        Map<String, Object> empty = usage(vars("from", "2026-06-01T00:00:00Z", "to", "2026-06-02T00:00:00Z"));
        assertEquals(List.of(), Json.list(empty, "rows"));
        assertEquals(0, Json.whole(empty, "total.requests"));
        assertNull(Json.at(empty, "total.avgQuality"));
    }

    @Test
    void byUserAndProviderAMissingUserIsNull() {
        Map<String, Object> usage = usage(vars("groupBy", List.of("USER"), "orderBy", "REQUESTS_DESC"));
        // u1: R1 + R3 = 1.50 (2), u2: R2 + R5 = 5.00 (2), none: R4 1.50 (1); ties in requests by cost
        assertEquals(List.of("u2 5.0 2", "u1 1.5 2", "null 1.5 1"), brief(usage, "user"));
        assertEquals(List.of("p2 5.0 2", "p1 3.0 3"), brief(usage(vars("groupBy", List.of("PROVIDER"))), "provider"));
        assertEquals(List.of("p1 m1 225 3.0 3", "p2 m2 220 5.0 2"),
                brief(usage(vars("groupBy", List.of("PROVIDER", "MODEL"), "orderBy", "TOKENS_DESC")), "provider", "model", "measures.tokens"));
    }

    @Test
    void rowsPastTheLimitAreSummedIntoOtherRows() {
        Map<String, Object> usage = usage(vars("groupBy", List.of("TEAM", "MODEL"), "limit", 2));
        assertEquals(List.of("b m2 3.0 1", "a m1 2.5 2"), brief(usage, "team", "model"));
        assertEquals(true, usage.get("truncated"));
        assertEquals(2.5, Json.number(usage, "otherRows.cost"));
        assertEquals(2, Json.whole(usage, "otherRows.requests"));
        assertEquals(8.0, Json.number(usage, "total.cost"), "the total is the whole window, not the rows shown");
    }

    /**
     * Fewer rows than there are, in each order: by day first (then cost), the limit falling inside a day's rows; by
     * requests with ties (then cost); by tokens (m1: 150 + 15 + 60 = 225 against m2's 220 + 0).
     */
    @Test
    void theFirstRowsInEachOrderWhenThereAreMore() {
        Map<String, Object> byDay = usage(vars("groupBy", List.of("TEAM", "MODEL"), "bucket", "DAY", "orderBy", "BUCKET_ASC", "limit", 3));
        assertEquals(List.of("2026-11-02T00:00:00.000Z a m2 2.0 1", "2026-11-02T00:00:00.000Z a m1 1.0 1", "2026-11-03T00:00:00.000Z b m1 0.5 1"),
                brief(byDay, "bucketStart", "team", "model"));
        assertEquals(4.5, Json.number(byDay, "otherRows.cost"));
        assertEquals(2, Json.whole(byDay, "otherRows.requests"));
        // Nov 2 has two rows; one is shown, the dearer
        Map<String, Object> oneOfADay = usage(vars("groupBy", List.of("TEAM", "MODEL"), "bucket", "DAY", "orderBy", "BUCKET_ASC", "limit", 1));
        assertEquals(List.of("2026-11-02T00:00:00.000Z a m2 2.0 1"), brief(oneOfADay, "bucketStart", "team", "model"));
        assertEquals(6.0, Json.number(oneOfADay, "otherRows.cost"));
        assertEquals(4, Json.whole(oneOfADay, "otherRows.requests"));
        assertEquals(8.0, Json.number(oneOfADay, "total.cost"));
        // (a, m1) has two calls, the other three one each: of those, (b, m2) at $3 is the dearest
        Map<String, Object> byRequests = usage(vars("groupBy", List.of("TEAM", "MODEL"), "orderBy", "REQUESTS_DESC", "limit", 2));
        assertEquals(List.of("a m1 2.5 2", "b m2 3.0 1"), brief(byRequests, "team", "model"));
        assertEquals(2.5, Json.number(byRequests, "otherRows.cost"));
        assertEquals(2, Json.whole(byRequests, "otherRows.requests"));
        Map<String, Object> byTokens = usage(vars("groupBy", List.of("MODEL"), "orderBy", "TOKENS_DESC", "limit", 1));
        assertEquals(List.of("m1 225 3.0 3"), brief(byTokens, "model", "measures.tokens"));
        assertEquals(5.0, Json.number(byTokens, "otherRows.cost"));
        assertEquals(220, Json.whole(byTokens, "otherRows.tokens"));
        assertEquals(true, byTokens.get("truncated"));
    }

    @Test
    void thePreviousWindowOfEqualLength() {
        // previous window [Oct 26, Nov 2): R7 (a, $20) and two calls of team mon ($2 + $4); b had none
        Map<String, Object> usage = usage(vars("groupBy", List.of("TEAM"), "comparePrevious", true));
        assertEquals(List.of("a 4.5 3", "b 3.5 2"), brief(usage, "team"));
        assertEquals(20.0, Json.number(Json.list(usage, "rows").get(0), "previous.cost"));
        assertEquals(1, Json.whole(Json.list(usage, "rows").get(0), "previous.requests"));
        assertEquals(0, Json.whole(Json.list(usage, "rows").get(1), "previous.requests"));
        assertEquals(26.0, Json.number(usage, "previousTotal.cost"));
        assertEquals(3, Json.whole(usage, "previousTotal.requests"));
        // by day, the previous window's day at the same position: Oct 26 (nothing) beside Nov 2, Nov 1 (R7) beside Nov 8
        Map<String, Object> days = usage(vars("bucket", "DAY", "orderBy", "BUCKET_ASC", "comparePrevious", true, "filter", Map.of("teams", List.of("a", "b"))));
        List<?> rows = Json.list(days, "rows");
        assertEquals("2026-11-02T00:00:00.000Z", Json.at(rows.get(0), "bucketStart"));
        assertEquals(0, Json.whole(rows.get(0), "previous.requests"));
        assertEquals("2026-11-08T00:00:00.000Z", Json.at(rows.get(rows.size() - 1), "bucketStart"));
        assertEquals(20.0, Json.number(rows.get(rows.size() - 1), "previous.cost"));
    }

    @Test
    void utcDaysAndDaysInIndia() {
        assertEquals(List.of("2026-11-02T00:00:00.000Z 3.0 2", "2026-11-03T00:00:00.000Z 0.5 1", "2026-11-05T00:00:00.000Z 1.5 1",
                        "2026-11-08T00:00:00.000Z 3.0 1"),
                brief(usage(vars("bucket", "DAY", "orderBy", "BUCKET_ASC")), "bucketStart"));
        // +05:30: R2 (23:30Z) and R3 fall on Nov 3 IST, R5 (23:59Z on Nov 8) on Nov 9 IST; the first day starts before the window
        List<String> india = List.of("2026-11-01T18:30:00.000Z 1.0 1", "2026-11-02T18:30:00.000Z 2.5 2", "2026-11-04T18:30:00.000Z 1.5 1",
                "2026-11-08T18:30:00.000Z 3.0 1");
        assertEquals(india, brief(usage(vars("bucket", "DAY", "timeZone", "Asia/Kolkata", "orderBy", "BUCKET_ASC")), "bucketStart"));
        // by workflow (a cube of UTC days only: the records are read), the same days split
        assertEquals(List.of("2026-11-01T18:30:00.000Z wf1 1.0 1", "2026-11-02T18:30:00.000Z wf1 2.0 1", "2026-11-02T18:30:00.000Z wf2 0.5 1",
                        "2026-11-04T18:30:00.000Z wf2 1.5 1", "2026-11-08T18:30:00.000Z wf1 3.0 1"),
                brief(usage(vars("bucket", "DAY", "timeZone", "Asia/Kolkata", "orderBy", "BUCKET_ASC", "groupBy", List.of("WORKFLOW"))),
                        "bucketStart", "workflow"));
    }

    @Test
    void aMonthInIndia() {
        Map<String, Object> mon = Map.of("teams", List.of("mon"));
        assertEquals(List.of("2026-09-30T18:30:00.000Z 3.0 2", "2026-10-31T18:30:00.000Z 12.0 2"),
                brief(usage(vars("from", "2026-10-15T00:00:00Z", "to", "2026-11-15T00:00:00Z", "filter", mon, "bucket", "MONTH",
                        "timeZone", "Asia/Kolkata", "orderBy", "BUCKET_ASC")), "bucketStart"));
        assertEquals(List.of("2026-10-01T00:00:00.000Z 7.0 3", "2026-11-01T00:00:00.000Z 8.0 1"),
                brief(usage(vars("from", "2026-10-15T00:00:00Z", "to", "2026-11-15T00:00:00Z", "filter", mon, "bucket", "MONTH",
                        "orderBy", "BUCKET_ASC")), "bucketStart"));
        // by model too (the work cube: UTC days only), the same months
        assertEquals(List.of("2026-09-30T18:30:00.000Z m1 3.0 2", "2026-10-31T18:30:00.000Z m1 12.0 2"),
                brief(usage(vars("from", "2026-10-15T00:00:00Z", "to", "2026-11-15T00:00:00Z", "filter", mon, "bucket", "MONTH",
                        "timeZone", "Asia/Kolkata", "orderBy", "BUCKET_ASC", "groupBy", List.of("MODEL"))), "bucketStart", "model"));
    }

    @Test
    void aDaylightSavingWeekAndTheHourTheClockGoesThroughTwice() {
        Map<String, Object> dst = Map.of("teams", List.of("dst"));
        // the week of Oct 19 runs from 00:00 CEST (22:00Z) to 00:00 CET on Oct 26 (23:00Z): 169 hours
        assertEquals(List.of("2026-10-11T22:00:00.000Z 2.0 1", "2026-10-18T22:00:00.000Z 53.0 4", "2026-10-25T23:00:00.000Z 8.0 1"),
                brief(usage(vars("from", "2026-10-12T00:00:00Z", "to", "2026-11-02T00:00:00Z", "filter", dst, "bucket", "WEEK",
                        "timeZone", "Europe/Berlin", "orderBy", "BUCKET_ASC")), "bucketStart"));
        // Oct 25 is 25 hours long in Berlin: from 22:00Z on Oct 24 to 23:00Z on Oct 25
        assertEquals(List.of("2026-10-24T22:00:00.000Z 52.0 3", "2026-10-25T23:00:00.000Z 8.0 1"),
                brief(usage(vars("from", "2026-10-24T22:00:00Z", "to", "2026-10-26T12:00:00Z", "filter", dst, "bucket", "DAY",
                        "timeZone", "Europe/Berlin", "orderBy", "BUCKET_ASC")), "bucketStart"));
        assertEquals(List.of("2026-10-25T00:00:00.000Z 16.0 1", "2026-10-25T01:00:00.000Z 32.0 1"),
                brief(usage(vars("from", "2026-10-25T00:00:00Z", "to", "2026-10-25T02:00:00Z", "filter", dst, "bucket", "HOUR",
                        "timeZone", "Europe/Berlin", "orderBy", "BUCKET_ASC")), "bucketStart"));
    }

    @Test
    void quarterHoursInUtcAndInNepal() {
        Map<String, Object> q = Map.of("teams", List.of("q"));
        assertEquals(List.of("2026-11-12T10:00:00.000Z 1.0 1", "2026-11-12T10:15:00.000Z 6.0 2"),
                brief(usage(vars("from", "2026-11-12T10:00:00Z", "to", "2026-11-12T10:30:00Z", "filter", q, "bucket", "FIFTEEN_MINUTES",
                        "orderBy", "BUCKET_ASC")), "bucketStart"));
        // +05:45: quarter hours fall where UTC's do; hours start at :15 UTC, so 10:14:59 is in the hour from 09:15Z
        assertEquals(List.of("2026-11-12T09:15:00.000Z 1.0 1", "2026-11-12T10:15:00.000Z 6.0 2"),
                brief(usage(vars("from", "2026-11-12T10:00:00Z", "to", "2026-11-12T10:30:00Z", "filter", q, "bucket", "HOUR",
                        "timeZone", "Asia/Kathmandu", "orderBy", "BUCKET_ASC")), "bucketStart"));
    }

    @Test
    void latencyPercentilesAreWithinOnePercentOfTheExactOnes() {
        Map<String, Object> response = graphql.post("""
                { usage(from: "2026-11-20T22:00:30Z", to: "2026-11-21T02:00:00Z", filter: {teams: ["lat"]}, groupBy: [MODEL], limit: 1) {
                    rows { model measures { requests latencyP50Ms latencyP95Ms latencyP99Ms } }
                    otherRows { requests latencyP50Ms latencyP99Ms }
                    total { requests latencyP50Ms latencyP95Ms latencyP99Ms } } }""", Map.of());
        assertNull(response.get("errors"), () -> "errors: " + response.get("errors"));
        // all 200: ranks ⌊q·199⌋ of 1..200 are 99, 189 and 197, so 100, 190 and 198 ms
        within(100, Json.number(response, "data.usage.total.latencyP50Ms"));
        within(190, Json.number(response, "data.usage.total.latencyP95Ms"));
        within(198, Json.number(response, "data.usage.total.latencyP99Ms"));
        // m1 has the even ones (2..200, 100 calls: ranks 49, 94, 98 give 100, 190, 198), shown as the dearest row; m2 the odd
        // ones in otherRows (1..199: 99, 189, 197)
        assertEquals(100, Json.whole(response, "data.usage.total.requests") / 2);
        Object m1 = Json.list(response, "data.usage.rows").get(0);
        assertEquals("m1", Json.at(m1, "model"));
        within(100, Json.number(m1, "measures.latencyP50Ms"));
        within(190, Json.number(m1, "measures.latencyP95Ms"));
        within(198, Json.number(m1, "measures.latencyP99Ms"));
        within(99, Json.number(response, "data.usage.otherRows.latencyP50Ms"));
        within(197, Json.number(response, "data.usage.otherRows.latencyP99Ms"));
        // no latency, no percentile
        Map<String, Object> none = graphql.post("""
                { usage(from: "2026-11-12T10:00:00Z", to: "2026-11-12T10:30:00Z", filter: {teams: ["q"]}) { total { latencyP50Ms avgLatencyMs } } }""",
                Map.of());
        assertNull(Json.at(none, "data.usage.total.latencyP50Ms"));
    }

    private static void within(double exact, double actual) {
        assertTrue(Math.abs(actual - exact) <= 0.01 * exact, () -> actual + " is not within 1% of " + exact);
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        GraphQL.onlyError(graphql.post(QUERY, vars("limit", 0)), "BAD_USER_INPUT", "limit");
        GraphQL.onlyError(graphql.post(QUERY, vars("limit", 1001)), "BAD_USER_INPUT", "limit");
        GraphQL.onlyError(graphql.post(QUERY, vars("groupBy", List.of("TEAM", "MODEL", "TEAM"))), "BAD_USER_INPUT", "groupBy");
        GraphQL.onlyError(graphql.post(QUERY, vars("timeZone", "Mars/Olympus_Mons")), "BAD_USER_INPUT", "timeZone");
        Map<String, Object> tooFine = graphql.post(QUERY, vars("from", "2025-11-01T00:00:00Z", "bucket", "FIFTEEN_MINUTES"));
        String message = (String) GraphQL.onlyError(tooFine, "BAD_USER_INPUT", "bucket").get("message");
        assertTrue(message.contains("10000"), message);
        Map<String, Object> unknown = graphql.post(QUERY, vars("groupBy", List.of("COLOUR")));
        assertEquals("BAD_USER_INPUT", Json.at(((List<?>) unknown.get("errors")).get(0), "extensions.code"));
    }
}
