package dev.aiusage.analysis;

import dev.aiusage.demo.SyntheticUsage;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.store.RollupRebuilder;
import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Analytics answered from rollups must equal what the raw records give, for any window (edges mid-hour, at any
 * millisecond), any filter and any time zone. The expected answers come from an oracle in this test that sums
 * the very records it sent, record by record, with no buckets. Records arrive in random order and in several
 * batches, so rollup rows are merged across batches.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupEquivalenceTest {
    static final Instant END = Instant.parse("2026-10-01T12:34:56.789Z");
    static final int RECORDS = 4000;
    static final int DAYS = 20;
    static final List<String> ZONES = List.of("UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
            "Australia/Lord_Howe", "Europe/Berlin", "Pacific/Chatham");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    RollupRebuilder rebuilder;
    GraphQL graphql;
    final List<Rec> records = new ArrayList<>();

    /** A record as stored: what the oracle sums. */
    record Rec(Instant ts, String team, String user, String provider, String model, String workflow, String task,
               BigDecimal cost, long tokens, Integer latency, BigDecimal quality, Boolean passed, long input, long output) {
    }

    @BeforeAll
    void load() {
        graphql = new GraphQL(client);
        SyntheticUsage usage = new SyntheticUsage(7, END, DAYS);
        Random random = new Random(11);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            UsageInput in = usage.record(i);
            // some calls without workflow, user, latency or tokens, and some checked but not scored
            boolean bare = random.nextInt(10) == 0;
            String workflow = bare ? null : in.workflow();
            String user = bare ? null : in.user();
            Integer latency = bare ? null : in.latencyMs();
            Integer tokensIn = bare ? null : in.inputTokens();
            Boolean passed = in.passedQuality() == null && random.nextInt(8) == 0 ? Boolean.TRUE : in.passedQuality();
            Instant ts = in.ts().toInstant().plusMillis(random.nextInt(1000));
            Map<String, Object> input = new HashMap<>();
            input.put("ts", ts.toString());
            input.put("provider", in.provider());
            input.put("model", in.model());
            input.put("team", in.team());
            input.put("user", user);
            input.put("taskType", in.taskType());
            input.put("workflow", workflow);
            input.put("inputTokens", tokensIn);
            input.put("outputTokens", in.outputTokens());
            input.put("costUsd", in.costUsd());
            input.put("latencyMs", latency);
            input.put("qualityScore", in.qualityScore());
            input.put("passedQuality", passed);
            input.values().removeIf(v -> v == null);
            inputs.add(input);
            records.add(new Rec(ts, in.team(), user, in.provider(), in.model(), workflow, in.taskType(),
                    BigDecimal.valueOf(in.costUsd()).setScale(10, RoundingMode.HALF_EVEN),
                    (tokensIn == null ? 0 : tokensIn) + (long) in.outputTokens(), latency,
                    in.qualityScore() == null ? null : BigDecimal.valueOf(in.qualityScore()), passed,
                    tokensIn == null ? 0 : tokensIn, in.outputTokens()));
        }
        Collections.shuffle(inputs, random);
        for (int i = 0; i < inputs.size(); i += 700) {
            Map<String, Object> data = graphql.data("recordUsageBatch", Map.of("inputs", inputs.subList(i, Math.min(inputs.size(), i + 700))));
            assertEquals(Math.min(700, inputs.size() - i), Json.whole(data, "recordUsageBatch.accepted"));
        }
    }

    /** A random window inside (or overlapping) the data, with millisecond edges, from a minute to the whole span. */
    private static Instant[] window(Random random) {
        long span = (DAYS + 2) * 86_400_000L;
        Instant from = END.minusMillis(span).plusMillis((long) (random.nextDouble() * span));
        long length = random.nextInt(4) == 0 ? 60_000 + random.nextInt(7_200_000) : (long) (random.nextDouble() * span) + 1;
        return new Instant[]{from, from.plusMillis(length)};
    }

    private Map<String, Object> filter(Random random) {
        Rec sample = records.get(random.nextInt(records.size()));
        return switch (random.nextInt(8)) {
            case 0 -> Map.of("teams", List.of(sample.team()));
            case 1 -> sample.user() == null ? Map.of() : Map.of("users", List.of(sample.user()));
            case 2 -> Map.of("providers", List.of(sample.provider()));
            case 3 -> Map.of("models", List.of(sample.model(), "gpt-4o"));
            case 4 -> sample.workflow() == null ? Map.of() : Map.of("workflows", List.of(sample.workflow()), "taskTypes", List.of(sample.task()));
            case 5 -> Map.of("teams", List.of(sample.team()), "models", List.of(sample.model()));
            default -> Map.of();
        };
    }

    private static Predicate<Rec> matches(Map<String, Object> filter, Instant from, Instant to) {
        return r -> !r.ts().isBefore(from) && r.ts().isBefore(to)
                && in(filter, "teams", r.team()) && in(filter, "users", r.user()) && in(filter, "providers", r.provider())
                && in(filter, "models", r.model()) && in(filter, "workflows", r.workflow()) && in(filter, "taskTypes", r.task());
    }

    private static boolean in(Map<String, Object> filter, String key, String value) {
        return !filter.containsKey(key) || value != null && ((List<?>) filter.get(key)).contains(value);
    }

    @Test
    void groupedAnswersEqualTheRawRecordsForRandomWindowsAndFilters() {
        Random random = new Random(23);
        for (int round = 0; round < 40; round++) {
            Instant[] w = window(random);
            Map<String, Object> filter = filter(random);
            Map<String, Object> variables = Map.of("from", w[0].toString(), "to", w[1].toString(), "filter", filter);
            List<Rec> in = records.stream().filter(matches(filter, w[0], w[1])).toList();
            String context = "window " + w[0] + " .. " + w[1] + " filter " + filter;

            assertEquals(oracle(in, r -> r.team(), false, this::teamRow),
                    actual(graphql.data("costByTeam", variables), "costByTeam", "team"), context);
            assertEquals(oracle(in, r -> r.workflow() + "|" + r.task() + "|" + r.model(), false, this::workflowRow),
                    actual(graphql.data("costByWorkflow", variables), "costByWorkflow", "workflow", "taskType", "model"), context);
            assertEquals(oracle(in, r -> r.model(), true, this::modelRow),
                    actual(graphql.data("modelEfficiency", variables), "modelEfficiency", "model"), context);
        }
    }

    @Test
    void dailyTrendEqualsTheRawRecordsInEveryTimeZone() {
        Random random = new Random(29);
        for (int round = 0; round < 35; round++) {
            Instant[] w = window(random);
            Map<String, Object> filter = random.nextBoolean() ? Map.of() : filter(random);
            String zone = ZONES.get(round % ZONES.size());
            Map<String, Object> variables = Map.of("from", w[0].toString(), "to", w[1].toString(), "filter", filter, "timeZone", zone);
            List<?> days = Json.list(graphql.data("dailyTrend", variables), "dailyTrend");
            assertEquals(expectedDays(records.stream().filter(matches(filter, w[0], w[1])).toList(), w, ZoneId.of(zone)), days.stream()
                    .map(d -> List.of(Json.at(d, "day"), round(Json.number(d, "cost")), Json.whole(d, "requests"), Json.whole(d, "activeTeams")))
                    .toList(), "window " + w[0] + " .. " + w[1] + " zone " + zone + " filter " + filter);
        }
    }

    static final List<String> DIMENSIONS = List.of("TEAM", "USER", "PROVIDER", "MODEL", "WORKFLOW", "TASK_TYPE");

    @Test
    void usageBreakdownEqualsTheRawRecordsForRandomGroupingsBucketsAndZones() {
        Random random = new Random(31);
        List<String> buckets = new ArrayList<>(List.of("none", "FIFTEEN_MINUTES", "HOUR", "DAY", "WEEK", "MONTH"));
        for (int round = 0; round < 40; round++) {
            List<String> groupBy = new ArrayList<>(DIMENSIONS);
            Collections.shuffle(groupBy, random);
            checkUsage(random, ZONES.get(round % ZONES.size()), buckets.get(round % buckets.size()),
                    new ArrayList<>(groupBy.subList(0, random.nextInt(3))));
        }
    }

    /**
     * What the in-memory indexes answer from their cells and the partial cells' records: UTC days (and the weeks
     * and months made of them) by the people's dimensions and the work cube's, and hours and days by team, provider
     * or model in zones whole hours off UTC (the teams' and the models' hours).
     */
    @Test
    void indexedBucketsEqualTheRawRecords() {
        graphql.awaitIndexes().forEach((index, state) -> assertEquals(indexState(), state, index));
        Random random = new Random(37);
        List<List<String>> groupings = List.of(List.of("USER"), List.of("TEAM", "USER"), List.of("PROVIDER", "MODEL"), List.of("TEAM"),
                List.of("WORKFLOW"), List.of("WORKFLOW", "TASK_TYPE", "MODEL"), List.of("USER", "MODEL"), List.of());
        for (int round = 0; round < 24; round++) {
            checkUsage(random, "UTC", List.of("DAY", "WEEK", "MONTH").get(round % 3), groupings.get(round % groupings.size()));
        }
        List<List<String>> byHour = List.of(List.of("TEAM"), List.of(), List.of("MODEL"), List.of("PROVIDER", "MODEL"), List.of("PROVIDER"));
        for (int round = 0; round < 20; round++) {
            checkUsage(random, List.of("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC").get(round % 4),
                    List.of("HOUR", "DAY", "WEEK").get(round % 3), byHour.get(round % byHour.size()));
        }
    }

    /** What every in-memory index is once loaded with this class's records: they answer. */
    String indexState() {
        return "READY";
    }

    private void checkUsage(Random random, String zone, String bucket, List<String> groupBy) {
        Instant[] w = window(random);
        Map<String, Object> filter = random.nextBoolean() ? Map.of() : filter(random);
        Map<String, Object> variables = new HashMap<>(Map.of("from", w[0].toString(), "to", w[1].toString(), "filter", filter,
                "timeZone", zone, "groupBy", groupBy, "limit", 1000));
        if (!bucket.equals("none")) {
            variables.put("bucket", bucket);
        }
        Map<String, Object> response = graphql.post("""
                query($from: DateTime, $to: DateTime, $filter: UsageFilter, $groupBy: [Dimension!], $bucket: Bucket, $timeZone: String, $limit: Int) {
                  usage(from: $from, to: $to, filter: $filter, groupBy: $groupBy, bucket: $bucket, timeZone: $timeZone, limit: $limit) {
                    rows { bucketStart team user provider model workflow taskType
                      measures { cost requests inputTokens outputTokens tokens latencyP50Ms latencyP95Ms latencyP99Ms } }
                    total { cost requests inputTokens outputTokens tokens latencyP50Ms latencyP95Ms latencyP99Ms } truncated
                  }
                }""", variables);
        String context = "window " + w[0] + " .. " + w[1] + " zone " + zone + " bucket " + bucket + " groupBy " + groupBy + " filter " + filter;
        org.junit.jupiter.api.Assertions.assertNull(response.get("errors"), () -> context + ": " + response.get("errors"));
        Object usage = Json.at(response, "data.usage");
        ZoneId z = ZoneId.of(zone);
        List<Rec> in = records.stream().filter(matches(filter, w[0], w[1])).toList();
        Map<String, List<Rec>> groups = new TreeMap<>();
        for (Rec r : in) {
            StringBuilder key = new StringBuilder(bucket.equals("none") ? "null" : bucketStart(r.ts(), bucket, z).toString());
            for (String d : groupBy) {
                key.append('|').append(value(r, d));
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<Object>> expected = new TreeMap<>();
        groups.forEach((k, recs) -> expected.put(k, measures(recs)));
        assertEquals(measures(in), sums(Json.at(usage, "total")), context);
        assertPercentiles(in, Json.at(usage, "total"), context);
        assertEquals(expected.size() > 1000, Json.at(usage, "truncated"), context);
        if (expected.size() > 1000) {
            return;
        }
        Map<String, List<Object>> actual = new TreeMap<>();
        Map<String, String> fields = Map.of("TEAM", "team", "USER", "user", "PROVIDER", "provider", "MODEL", "model",
                "WORKFLOW", "workflow", "TASK_TYPE", "taskType");
        for (Object row : Json.list(usage, "rows")) {
            Object start = Json.at(row, "bucketStart");
            StringBuilder key = new StringBuilder(start == null ? "null" : Instant.parse((String) start).toString());
            for (String d : groupBy) {
                key.append('|').append(Json.at(row, fields.get(d)));
            }
            actual.put(key.toString(), sums(Json.at(row, "measures")));
            assertPercentiles(groups.get(key.toString()), Json.at(row, "measures"), context + " row " + key);
        }
        assertEquals(expected, actual, context);
    }

    /** The five sums of a measures object, as {@link #measures} gives them. */
    private static List<Object> sums(Object measures) {
        return List.of("cost", "requests", "inputTokens", "outputTokens", "tokens").stream()
                .map(f -> (Object) (f.equals("cost") ? round(Json.number(measures, f)) : Json.whole(measures, f))).toList();
    }

    /** Each percentile within 1% of the latency at rank ⌊q·(n−1)⌋ of the records' sorted latencies; null without any. */
    private static void assertPercentiles(List<Rec> recs, Object measures, String context) {
        List<Integer> sorted = recs == null ? List.of() : recs.stream().map(Rec::latency).filter(l -> l != null).sorted().toList();
        Map<String, Double> quantiles = Map.of("latencyP50Ms", 0.50, "latencyP95Ms", 0.95, "latencyP99Ms", 0.99);
        quantiles.forEach((field, q) -> {
            Object actual = Json.at(measures, field);
            if (sorted.isEmpty()) {
                org.junit.jupiter.api.Assertions.assertNull(actual, context + " " + field);
                return;
            }
            double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
            double got = ((Number) actual).doubleValue();
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(got - exact) <= 0.01 * exact,
                    () -> context + " " + field + ": " + got + " against exact " + exact + " of " + sorted.size());
        });
    }

    /** The start of the calendar bucket holding {@code ts} in {@code zone}, worked out with java.time. */
    private static Instant bucketStart(Instant ts, String bucket, ZoneId zone) {
        java.time.ZonedDateTime local = ts.atZone(zone);
        return switch (bucket) {
            case "FIFTEEN_MINUTES", "HOUR" -> {
                long size = bucket.equals("HOUR") ? 3600 : 900;
                long offset = local.getOffset().getTotalSeconds();
                yield Instant.ofEpochSecond(Math.floorDiv(ts.getEpochSecond() + offset, size) * size - offset);
            }
            case "DAY" -> local.toLocalDate().atStartOfDay(zone).toInstant();
            case "WEEK" -> local.toLocalDate().with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                    .atStartOfDay(zone).toInstant();
            default -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
        };
    }

    private static String value(Rec r, String dimension) {
        return String.valueOf(switch (dimension) {
            case "TEAM" -> r.team();
            case "USER" -> r.user();
            case "PROVIDER" -> r.provider();
            case "MODEL" -> r.model();
            case "WORKFLOW" -> r.workflow();
            default -> r.task();
        });
    }

    /** cost, requests, input, output and all tokens of the records, as the answer prints them. */
    private static List<Object> measures(List<Rec> recs) {
        return List.of(round(sum(recs, Rec::cost).doubleValue()), (long) recs.size(), recs.stream().mapToLong(Rec::input).sum(),
                recs.stream().mapToLong(Rec::output).sum(), recs.stream().mapToLong(Rec::tokens).sum());
    }

    @Test
    void rebuiltRollupsEqualTheOnesKeptAtIngest() {
        List<List<Object>> incremental = rebuilder.dump();
        Map<String, Object> rebuilt = graphql.data("rebuildRollups", Map.of());
        assertEquals(RECORDS, Json.whole(rebuilt, "rebuildRollups.records"));
        assertEquals(incremental.size(), Json.whole(rebuilt, "rebuildRollups.rollupRows"));
        assertEquals(incremental, rebuilder.dump());
    }

    private List<List<Object>> expectedDays(List<Rec> in, Instant[] w, ZoneId zone) {
        Map<LocalDate, List<Rec>> byDay = new TreeMap<>();
        LocalDate first = w[0].atZone(zone).toLocalDate();
        LocalDate last = w[1].minusNanos(1).atZone(zone).toLocalDate();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            byDay.put(d, new ArrayList<>());
        }
        in.forEach(r -> byDay.get(r.ts().atZone(zone).toLocalDate()).add(r));
        List<List<Object>> rows = new ArrayList<>();
        byDay.forEach((day, recs) -> rows.add(List.of(day.toString(), round(sum(recs, Rec::cost).doubleValue()), (long) recs.size(),
                recs.stream().map(Rec::team).distinct().count())));
        return rows;
    }

    // --- the oracle: plain sums over records, compared as rounded numbers keyed by group

    private Map<String, List<Object>> oracle(List<Rec> in, Function<Rec, String> key, boolean scoredOnly,
                                             Function<List<Rec>, List<Object>> row) {
        Map<String, List<Rec>> groups = new LinkedHashMap<>();
        in.stream().filter(r -> !scoredOnly || r.quality() != null).forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        Map<String, List<Object>> rows = new TreeMap<>();
        groups.forEach((k, recs) -> rows.put(k, row.apply(recs)));
        return rows;
    }

    private List<Object> teamRow(List<Rec> recs) {
        return List.of(round(sum(recs, Rec::cost).doubleValue()), (long) recs.size(), recs.stream().mapToLong(Rec::tokens).sum(),
                avg(recs, Rec::quality));
    }

    private List<Object> workflowRow(List<Rec> recs) {
        BigDecimal cost = sum(recs, Rec::cost);
        List<Rec> checked = recs.stream().filter(r -> r.passed() != null).toList();
        return List.of(round(cost.doubleValue()), (long) recs.size(),
                round(cost.divide(BigDecimal.valueOf(recs.size()), MathContext.DECIMAL64).doubleValue()),
                avg(recs, r -> r.latency() == null ? null : BigDecimal.valueOf(r.latency())), avg(recs, Rec::quality),
                checked.isEmpty() ? "null" : round((double) checked.stream().filter(Rec::passed).count() / checked.size()));
    }

    private List<Object> modelRow(List<Rec> recs) {
        BigDecimal cost = sum(recs, Rec::cost);
        return List.of(round(cost.doubleValue()), round(cost.divide(BigDecimal.valueOf(recs.size()), MathContext.DECIMAL64).doubleValue()),
                avg(recs, r -> r.latency() == null ? null : BigDecimal.valueOf(r.latency())), avg(recs, Rec::quality), (long) recs.size());
    }

    private static Map<String, List<Object>> actual(Map<String, Object> data, String field, String... keys) {
        Map<String, List<Object>> rows = new TreeMap<>();
        for (Object row : Json.list(data, field)) {
            List<String> key = new ArrayList<>();
            for (String k : keys) {
                key.add(String.valueOf(Json.at(row, k)));
            }
            List<Object> values = new ArrayList<>();
            ((Map<?, ?>) row).forEach((k, v) -> {
                if (!List.of(keys).contains(k)) {
                    values.add(v == null ? "null" : v instanceof Double d ? round(d) : ((Number) v).longValue());
                }
            });
            rows.put(String.join("|", key), values);
        }
        return rows;
    }

    private static BigDecimal sum(List<Rec> recs, Function<Rec, BigDecimal> value) {
        return recs.stream().map(value).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Object avg(List<Rec> recs, Function<Rec, BigDecimal> value) {
        List<BigDecimal> present = recs.stream().map(value).filter(v -> v != null).toList();
        return present.isEmpty() ? "null"
                : round(present.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(present.size()), MathContext.DECIMAL64).doubleValue());
    }

    /** Twelve significant digits: equal sums print equal; a lost or doubled record never rounds away. */
    private static String round(double value) {
        return new BigDecimal(value).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }
}
