package dev.aiusage.bench;

import dev.aiusage.demo.SyntheticUsage;
import dev.aiusage.ingest.UsageInput;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the service as a client sees it: starts the real jar, loads synthetic usage through
 * recordUsageBatch (batches of 1,000, in time order, over 90 days), times each analytics query end to end over
 * a 30-day window at several sizes, and runs the article's SQLite approach on the same records in the same
 * run. Prints one Markdown table. Run by {@code bench/run} (see the README), not by the unit tests.
 */
public final class Benchmark {
    static final Instant END = Instant.parse("2026-11-20T09:41:17.123Z");
    static final int SPAN_DAYS = 90;
    static final int BATCH = 1000;
    static final long SEED = 1;
    static final Instant FROM = END.minus(Duration.ofDays(30));
    static final int WARM_UP_SECONDS = 15;

    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        String window = "(from: \"" + FROM + "\", to: \"" + END + "\")";
        QUERIES.put("costByTeam", "{ costByTeam" + window + " { team totalCost requests tokens avgQuality } }");
        QUERIES.put("costByWorkflow", "{ costByWorkflow" + window
                + " { workflow taskType model totalCost requests avgCostPerCall avgLatencyMs avgQuality passRate } }");
        QUERIES.put("modelEfficiency", "{ modelEfficiency" + window + " { model totalCost avgCost avgLatencyMs avgQuality requests } }");
        QUERIES.put("dailyTrend", "{ dailyTrend" + window + " { day cost requests activeTeams } }");
        QUERIES.put("substitutionOpportunities", "{ substitutionOpportunities" + window
                + " { workflow taskType currentModel betterModel qualityDiff costRatio estMonthlySavings currentRequests currentSamples betterSamples } }");
        // per-user rollups and the last day of use before the window; every generated user is UNKNOWN (no directory)
        QUERIES.put("adoption", "{ adoption" + window + " { byStatus { status count } byTeam { key people active } "
                + "friction { openRequests } seniorsAtZero { count } pairings { reason } } }");
        QUERIES.put("powerUsers", "{ powerUsers(team: \"support\", from: \"" + FROM + "\", to: \"" + END + "\", limit: 10)"
                + " { teamCalls byCalls { user calls callShare models avgQuality } byCost { user cost } } }");
        // a raw scan of the window's records (input bands, correlations): 7 days, so that 10M records stay in the time budget
        QUERIES.put("promptInsights (7 days)", "{ promptInsights(from: \"" + END.minus(Duration.ofDays(7)) + "\", to: \"" + END + "\")"
                + " { groups { workflow taskType calls tokensQualityCorrelation tokensCostCorrelation bands { band calls avgCost avgQuality } } } }");
    }

    static final String PAGE = "query($after: String) { usageRecords(from: \"" + FROM + "\", to: \"" + END
            + "\", first: 50, after: $after) { edges { cursor node { id ts team user model workflow taskType tokens costUsd qualityScore } } "
            + "pageInfo { hasNextPage endCursor } } }";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int runs;
    private final int senders;

    Benchmark(int runs, int senders) {
        this.runs = runs;
        this.senders = senders;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("store")) {
            StoreBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        List<Long> sizes = List.of(100_000L, 1_000_000L, 10_000_000L);
        int runs = 40;
        int senders = 2;
        boolean postgres = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> postgres = switch (args[++i]) {
                    case "postgres" -> true;
                    case "h2" -> false;
                    default -> throw new IllegalArgumentException("--store is h2 or postgres");
                };
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: bench/run [--store h2|postgres] [--sizes 100000,1000000,10000000] [--runs 40] [--senders 2]");
            }
        }
        Benchmark benchmark = new Benchmark(runs, senders);
        benchmark.postgres = postgres;
        benchmark.run(sizes);
    }

    /** Median and 95th percentile of one query's end-to-end latency, in milliseconds. */
    record Latency(double median, double p95) {
    }

    /** Whether the service runs on PostgreSQL (a server of its own per size, {@link BenchPostgres}) rather than H2. */
    private boolean postgres;

    private void run(List<Long> sizes) throws Exception {
        Path jar = Path.of("target/ai-usage-analytics.jar");
        Path work = Files.createTempDirectory("aiusage-bench");
        Map<Long, Map<String, Latency>> latencies = new LinkedHashMap<>();
        Map<Long, Double> ingestRates = new LinkedHashMap<>();
        long heapMiB = -1;
        long rssMiB = -1;
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        for (long size : sizes) {
            log("size " + size + ": starting the server on an empty database");
            try (BenchPostgres database = postgres ? new BenchPostgres(work.resolve("pg-" + size)) : null;
                 ServerProcess server = ServerProcess.start(jar, work.resolve("h2-" + size), List.of(), database)) {
                SyntheticUsage usage = new SyntheticUsage(SEED, END, SPAN_DAYS);
                ingestRates.put(size, ingest(server, size, i -> usage.recordInOrder(i, size)));
                warmUp(server);
                Map<String, Latency> byQuery = new LinkedHashMap<>();
                for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                    byQuery.put(query.getKey(), time(server, query.getValue(), null));
                }
                byQuery.put("usageRecords (page 1)", time(server, PAGE, null));
                byQuery.put("usageRecords (page 500)", time(server, PAGE, cursorOfPage(server, 500)));
                latencies.put(size, byQuery);
                if (size == largest) {
                    heapMiB = server.heapUsedAfterGcMiB();
                    rssMiB = server.rssMiB();
                }
            }
        }
        log("start-up times");
        // start-up is measured on the embedded default (a PostgreSQL start would time the server's, not ours)
        Map<String, List<Long>> startups = startups(jar, work, 5);
        Map<String, Double> sqlite = new LinkedHashMap<>();
        long sqliteSize = sizes.contains(1_000_000L) ? 1_000_000L : sizes.get(0);
        log("SQLite baseline at " + sqliteSize + " records");
        try (SqliteBaseline baseline = new SqliteBaseline(work.resolve("article.db"))) {
            baseline.load(new SyntheticUsage(SEED, END, SPAN_DAYS), sqliteSize);
            for (String name : SqliteBaseline.QUERIES.keySet()) {
                double[] ms = new double[Math.max(3, runs / 8)];
                baseline.run(name, FROM, END);
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    baseline.run(name, FROM, END);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(ms);
                sqlite.put(name, ms[ms.length / 2]);
            }
        }
        print(sizes, latencies, ingestRates, startups, heapMiB, rssMiB, sqlite, sqliteSize, largest);
    }

    /**
     * Loads records 0 to {@code n} - 1 of {@code records} in batches of {@value #BATCH}, in that order, from
     * {@code senders} concurrent clients (as several integrations would); returns records per second.
     */
    double ingest(ServerProcess server, long n, java.util.function.LongFunction<UsageInput> records) throws Exception {
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            workers.add(pool.submit(() -> {
                for (long first = next.getAndAdd(BATCH); first < n; first = next.getAndAdd(BATCH)) {
                    long last = Math.min(n, first + BATCH);
                    String response = post(server, batchBody(records, first, last));
                    if (!response.contains("\"accepted\":" + (last - first))) {
                        throw new IllegalStateException("batch at " + first + " not accepted whole: " + response);
                    }
                    if (first % 500_000 == 0 && first > 0) {
                        log(String.format(Locale.ROOT, "  %,d records, %.0f records/s", first, first / ((System.nanoTime() - started) / 1e9)));
                    }
                }
                return null;
            }));
        }
        for (var worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return n / ((System.nanoTime() - started) / 1e9);
    }

    private static String batchBody(java.util.function.LongFunction<UsageInput> records, long first, long last) {
        StringBuilder body = new StringBuilder(BATCH * 400)
                .append("{\"query\":\"mutation($inputs: [UsageInput!]!) { recordUsageBatch(inputs: $inputs) { accepted duplicates } }\",")
                .append("\"variables\":{\"inputs\":[");
        for (long i = first; i < last; i++) {
            if (i > first) {
                body.append(',');
            }
            json(body, records.apply(i));
        }
        return body.append("]}}").toString();
    }

    Latency time(ServerProcess server, String query, String after) throws IOException, InterruptedException {
        String body = "{\"query\":" + quote(query) + ",\"variables\":{\"after\":" + (after == null ? "null" : quote(after)) + "}}";
        for (int i = 0; i < 5; i++) {
            check(post(server, body));
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            check(post(server, body));
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new Latency(ms[runs / 2], ms[(int) Math.ceil(runs * 0.95) - 1]);
    }

    /**
     * Every query, round robin, for {@value #WARM_UP_SECONDS} seconds before any is timed, so that each size is
     * measured with the JIT equally warm (a short load would otherwise leave the smallest size cold).
     */
    private void warmUp(ServerProcess server) throws IOException, InterruptedException {
        long until = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < until) {
            for (String query : QUERIES.values()) {
                check(post(server, "{\"query\":" + quote(query) + "}"));
            }
            check(post(server, "{\"query\":" + quote(PAGE) + ",\"variables\":{\"after\":null}}"));
        }
    }

    /**
     * Time from starting the JVM to the first answered query on an empty database, {@code times} times, plainly
     * and with an application class-data archive made by one training run.
     */
    private Map<String, List<Long>> startups(Path jar, Path work, int times) throws Exception {
        Map<String, List<Long>> results = new LinkedHashMap<>();
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            try (ServerProcess server = ServerProcess.start(jar, work.resolve("start-" + i), List.of())) {
                plain.add(server.startToFirstAnswerMs);
            }
        }
        results.put("java -jar", plain);
        Path archive = work.resolve("app-cds.jsa");
        try (ServerProcess training = ServerProcess.start(jar, work.resolve("cds-training"), List.of("-XX:ArchiveClassesAtExit=" + archive))) {
            for (String query : QUERIES.values()) {
                check(post(training, "{\"query\":" + quote(query) + "}"));
            }
        }
        List<Long> cds = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            try (ServerProcess server = ServerProcess.start(jar, work.resolve("start-cds-" + i), List.of("-XX:SharedArchiveFile=" + archive))) {
                cds.add(server.startToFirstAnswerMs);
            }
        }
        results.put("java -XX:SharedArchiveFile=... -jar", cds);
        return results;
    }

    private String cursorOfPage(ServerProcess server, int page) throws IOException, InterruptedException {
        Pattern end = Pattern.compile("\"endCursor\":\"([^\"]+)\"");
        String after = null;
        for (int i = 1; i < page; i++) {
            String body = "{\"query\":" + quote(PAGE) + ",\"variables\":{\"after\":" + (after == null ? "null" : quote(after)) + "}}";
            Matcher m = end.matcher(post(server, body));
            if (!m.find()) {
                throw new IllegalStateException("fewer than " + page + " pages");
            }
            after = m.group(1);
        }
        return after;
    }

    static void check(String response) {
        if (response.contains("\"errors\"")) {
            throw new IllegalStateException(response);
        }
    }

    String post(ServerProcess server, String body) throws IOException, InterruptedException {
        // one HttpClient is shared by the senders; it keeps a connection per concurrent request
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void json(StringBuilder out, UsageInput r) {
        out.append("{\"ts\":\"").append(r.ts()).append("\",\"provider\":\"").append(r.provider())
                .append("\",\"model\":\"").append(r.model()).append("\",\"team\":\"").append(r.team())
                .append("\",\"user\":\"").append(r.user()).append("\",\"taskType\":\"").append(r.taskType())
                .append("\",\"workflow\":\"").append(r.workflow()).append("\",\"inputTokens\":").append(r.inputTokens())
                .append(",\"outputTokens\":").append(r.outputTokens()).append(",\"costUsd\":").append(r.costUsd())
                .append(",\"latencyMs\":").append(r.latencyMs());
        if (r.qualityScore() != null) {
            out.append(",\"qualityScore\":").append(r.qualityScore()).append(",\"passedQuality\":").append(r.passedQuality());
        }
        out.append(",\"requestId\":\"").append(r.requestId()).append("\",\"sessionId\":\"").append(r.sessionId()).append("\"}");
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void log(String line) {
        System.err.println("[bench] " + line);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    private static String count(long n) {
        return n >= 1_000_000 ? (n / 1_000_000) + "M" : (n / 1_000) + "K";
    }

    private void print(List<Long> sizes, Map<Long, Map<String, Latency>> latencies, Map<Long, Double> ingestRates,
                       Map<String, List<Long>> startups, long heapMiB, long rssMiB, Map<String, Double> sqlite, long sqliteSize,
                       long largest) throws IOException {
        long smallest = sizes.stream().mapToLong(Long::longValue).min().orElseThrow();
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(String.join(", ", ServerProcess.describeMachine()))
                .append("; ").append(runs).append(" runs a query after ").append(WARM_UP_SECONDS).append(" s of warm-up; 30-day window [").append(FROM).append(", ").append(END)
                .append(") of records spread over ").append(SPAN_DAYS).append(" days; the service on ")
                .append(postgres ? "PostgreSQL 17 (same machine, fsync on)" : "its embedded H2 file").append(".\n\n");
        out.append("| query, median (p95) ms end to end |");
        sizes.forEach(s -> out.append(' ').append(count(s)).append(" records |"));
        out.append(" ").append(count(largest)).append(" / ").append(count(smallest)).append(" | article's SQLite, ")
                .append(count(sqliteSize)).append(" | speed-up at ").append(count(sqliteSize)).append(" |\n|---|");
        sizes.forEach(s -> out.append("---|"));
        out.append("---|---|---|\n");
        for (String query : latencies.get(sizes.get(0)).keySet()) {
            out.append("| `").append(query).append("` |");
            for (long size : sizes) {
                Latency l = latencies.get(size).get(query);
                out.append(' ').append(ms(l.median())).append(" (").append(ms(l.p95())).append(") |");
            }
            double ratio = latencies.get(largest).get(query).median() / latencies.get(smallest).get(query).median();
            out.append(String.format(Locale.ROOT, " %.2f |", ratio));
            Double base = sqlite.get(query);
            if (base == null) {
                out.append(" – | – |\n");
            } else {
                out.append(' ').append(ms(base)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f×", base / latencies.get(sqliteSize).get(query).median())).append(" |\n");
            }
        }
        out.append("\n| figure | measured |\n|---|---|\n");
        ingestRates.forEach((size, rate) -> out.append("| ingest through `recordUsageBatch` (batches of 1,000, ").append(senders)
                .append(senders == 1 ? " client" : " concurrent clients").append(", durable), to ")
                .append(count(size)).append(" records | ").append(String.format(Locale.ROOT, "%,.0f records/s", rate)).append(" |\n"));
        out.append("| heap in use after full GC, ").append(count(largest)).append(" records | ").append(heapMiB).append(" MiB |\n");
        out.append("| process RSS, ").append(count(largest)).append(" records | ").append(rssMiB).append(" MiB |\n");
        startups.forEach((how, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            out.append("| `").append(how).append("` to first answered query, empty database (median of ").append(times.size())
                    .append(") | ").append(sorted.get(sorted.size() / 2)).append(" ms (").append(String.join(", ", times.stream().map(String::valueOf).toList()))
                    .append(") |\n");
        });
        System.out.println(out);
    }
}
