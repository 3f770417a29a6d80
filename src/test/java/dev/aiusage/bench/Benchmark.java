package dev.aiusage.bench;

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
 * Measures the service as a client sees it, at several sizes and on each engine asked for (H2, PostgreSQL or
 * both, side by side): starts the real jar on an empty database, loads a mid-size company's usage
 * ({@link MidsizeCompany}) through recordUsageBatch (batches of 1,000, in time order, over 90 days), waits for the
 * fold, times every query end to end over a 30-day window, backfills a tenth more at random moments, and reads
 * disk per record after each load; runs the article's SQLite approach on the same records in the same run.
 * Prints Markdown tables. Run by {@code bench/run} (see the README), not by the unit tests.
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
                + " { workflow taskType currentModel betterModel qualityDiff costRatio estMonthlySavings currentRequests currentSamples betterSamples verdict "
                + "statistics { qualityDiffLower qualityDiffUpper adjustedPValue samplesNeeded monthlySavingsLower } } }");
        // the dashboard's breakdowns: hours of a zone off UTC days by team (the team cube), days by model with p95 latency
        // (the model cube and its sketches), workflow x model against the previous window (the work cube, edges from the
        // records), and spend by user (the full cube)
        String bw = "from: \"" + FROM + "\", to: \"" + END + "\"";
        QUERIES.put("usage: team per hour (Berlin)", "{ usage(" + bw + ", groupBy: [TEAM], bucket: HOUR, timeZone: \"Europe/Berlin\", "
                + "orderBy: BUCKET_ASC, limit: 1000) { rows { bucketStart team measures { cost requests } } total { cost } truncated } }");
        QUERIES.put("usage: model per day, p95 (Berlin)", "{ usage(" + bw + ", groupBy: [MODEL], bucket: DAY, timeZone: \"Europe/Berlin\", "
                + "orderBy: BUCKET_ASC, limit: 1000) { rows { bucketStart model measures { cost requests latencyP95Ms } } total { latencyP95Ms } } }");
        QUERIES.put("usage: workflow x model vs previous", "{ usage(" + bw + ", groupBy: [WORKFLOW, MODEL], comparePrevious: true, limit: 100) "
                + "{ rows { workflow model measures { cost requests inputTokens outputTokens } previous { cost } } otherRows { cost } total { cost } } }");
        QUERIES.put("usage: user", "{ usage(" + bw + ", groupBy: [USER], limit: 100) { rows { user measures { cost requests } } otherRows { cost } } }");
        // per-user rollups and the last day of use before the window; every generated user is UNKNOWN (no directory)
        QUERIES.put("adoption", "{ adoption" + window + " { byStatus { status count } byTeam { key people active } "
                + "friction { openRequests } seniorsAtZero { count } pairings { reason } } }");
        QUERIES.put("powerUsers", "{ powerUsers(team: \"team-0\", from: \"" + FROM + "\", to: \"" + END + "\", limit: 10)"
                + " { teamCalls byCalls { user calls callShare models avgQuality } byCost { user cost } } }");
        // the prompt rollup's hours and days with the sub-hour edges from the records: 7 days as before it, and the 30 days
        QUERIES.put("promptInsights (7 days)", "{ promptInsights(from: \"" + END.minus(Duration.ofDays(7)) + "\", to: \"" + END + "\")"
                + " { groups { workflow taskType calls tokensQualityCorrelation tokensCostCorrelation bands { band calls avgCost avgQuality } } } }");
        QUERIES.put("promptInsights (30 days)", "{ promptInsights" + window
                + " { groups { workflow taskType calls tokensQualityCorrelation tokensCostCorrelation bands { band calls avgCost avgQuality } } } }");
        // each team's and workflow's daily spend over the 7 days and the 28 before them, against its median and MAD
        QUERIES.put("anomalies (7 days)", "{ anomalies(from: \"" + END.minus(Duration.ofDays(7)) + "\", to: \"" + END + "\")"
                + " { day dimension name spend baselineMedian robustScore } }");
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
        if (args.length > 0 && args[0].equals("disk")) {
            DiskProbe.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("import")) {
            ImportBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("store")) {
            StoreBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        List<Long> sizes = List.of(100_000L, 1_000_000L, 10_000_000L);
        List<Engine> engines = List.of(Engine.H2);
        int runs = 40;
        int senders = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> engines = Arrays.stream(args[++i].split(",")).map(Engine::of).toList();
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: bench/run [--store h2|postgres|h2,postgres] [--sizes 100000,1000000,10000000] [--runs 40] [--senders 2]");
            }
        }
        new Benchmark(runs, senders).run(sizes, engines);
    }

    /** Median and 95th percentile of one query's end-to-end latency, in milliseconds. */
    record Latency(double median, double p95) {
        /** Stopped by the service's time budget (aiusage.limits.query-time-budget). */
        static final Latency TIMED_OUT = new Latency(Double.NaN, Double.NaN);

        boolean timedOut() {
            return Double.isNaN(median);
        }
    }

    /** The database the service runs on: its embedded H2 file, or a PostgreSQL 17 server of its own per size. */
    enum Engine {
        H2("H2"), POSTGRES("PostgreSQL");

        final String label;

        Engine(String label) {
            this.label = label;
        }

        static Engine of(String name) {
            return switch (name) {
                case "h2" -> H2;
                case "postgres" -> POSTGRES;
                default -> throw new IllegalArgumentException("--store takes h2, postgres or both (h2,postgres)");
            };
        }
    }

    /** One size on one engine: its query latencies and its figures (ingest, fold, disk), in the order measured. */
    record Measured(Map<String, Latency> latencies, Map<String, String> figures) {
    }

    /** Share of each size loaded again at random moments of the span, after the queries were timed. */
    static final double BACKFILL_SHARE = 0.1;

    private void run(List<Long> sizes, List<Engine> engines) throws Exception {
        Path jar = Path.of("target/ai-usage-analytics.jar");
        Path work = Files.createTempDirectory("aiusage-bench");
        Map<Long, Map<Engine, Measured>> results = new LinkedHashMap<>();
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        MidsizeCompany company = new MidsizeCompany(SEED, END, SPAN_DAYS);
        // the baselines first and the tables again after each size and engine, so that a long run read part way has its figures
        log("start-up times");
        // start-up is measured on the embedded default (a PostgreSQL start would time the server's, not ours)
        Map<String, List<Long>> startups = startups(jar, work, 5);
        Map<String, Double> sqlite = new LinkedHashMap<>();
        // at 1M (or the smallest size below it): the article's SQL takes seconds a query at 10M
        long sqliteSize = sizes.contains(1_000_000L) ? 1_000_000L : Math.min(1_000_000L, sizes.get(0));
        log("SQLite baseline at " + sqliteSize + " records");
        try (SqliteBaseline baseline = new SqliteBaseline(work.resolve("article.db"))) {
            baseline.load(i -> company.inOrder(i, sqliteSize), sqliteSize);
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
        List<Long> done = new ArrayList<>();
        for (long size : sizes) {
            for (Engine engine : engines) {
                log("size " + size + " on " + engine.label + ": starting the server on an empty database");
                Path dir = work.resolve(engine.name().toLowerCase(Locale.ROOT) + "-" + size);
                results.computeIfAbsent(size, s -> new LinkedHashMap<>()).put(engine, measure(jar, dir, engine, company, size, size == largest));
                deleteTree(dir);
                if (!done.contains(size)) {
                    done.add(size);
                }
                print(done, engines, results, startups, sqlite, sqliteSize);
            }
        }
    }

    /**
     * One size on one engine: {@code size} records in time order, the fold caught up, disk per record, every query
     * timed, then {@value #BACKFILL_SHARE} of the size again at random moments (an old log replayed), folded, and
     * disk per record after it.
     */
    private Measured measure(Path jar, Path dir, Engine engine, MidsizeCompany company, long size, boolean largest) throws Exception {
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Latency> byQuery = new LinkedHashMap<>();
        try (BenchPostgres database = engine == Engine.POSTGRES ? new BenchPostgres(dir.resolve("pg")) : null;
             ServerProcess server = ServerProcess.start(jar, dir.resolve("h2"), List.of(), database)) {
            long started = System.nanoTime();
            double rate = ingest(server, size, i -> company.inOrder(i, size));
            double folded = StoreBenchmark.waitForFold(this, server, started);
            figures.put("ingest in time order, acknowledged (durable)", String.format(Locale.ROOT, "%,.0f records/s", rate));
            figures.put("ingest in time order, all folded after", String.format(Locale.ROOT, "%.0f s", folded));
            figures.put("disk per record once folded", StoreBenchmark.bytes(database, dir.resolve("h2")) / size + " B");
            log(String.format(Locale.ROOT, "  folded: %s, %s", figures.get("ingest in time order, acknowledged (durable)"),
                    figures.get("disk per record once folded")));
            warmUp(server);
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                byQuery.put(query.getKey(), logged(query.getKey(), time(server, query.getValue(), null)));
            }
            byQuery.put("usageRecords (page 1)", logged("usageRecords (page 1)", time(server, PAGE, null)));
            byQuery.put("usageRecords (page 500)", logged("usageRecords (page 500)", time(server, PAGE, cursorOfPage(server, 500))));
            long backfill = (long) (size * BACKFILL_SHARE);
            log("  backfilling " + backfill + " records at random moments");
            started = System.nanoTime();
            rate = ingest(server, backfill, i -> company.anyTime(size + i));
            folded = StoreBenchmark.waitForFold(this, server, started);
            figures.put("backfill of " + Math.round(BACKFILL_SHARE * 100) + "% at random moments, acknowledged", String.format(Locale.ROOT, "%,.0f records/s", rate));
            figures.put("backfill, all folded after", String.format(Locale.ROOT, "%.0f s", folded));
            figures.put("disk per record after the backfill, once folded", StoreBenchmark.bytes(database, dir.resolve("h2")) / (size + backfill) + " B");
            if (largest) {
                figures.put("heap in use after full GC", server.heapUsedAfterGcMiB() + " MiB");
                figures.put("service process RSS", server.rssMiB() + " MiB");
            }
        }
        return new Measured(byQuery, figures);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
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

    /**
     * Median and p95 of {@code runs} timed runs after 5 untimed ones; a query slower than a second then gets an
     * eighth of the runs (at least 5), and one stopped by the service's time budget is {@link Latency#TIMED_OUT}.
     */
    Latency time(ServerProcess server, String query, String after) throws IOException, InterruptedException {
        String body = "{\"query\":" + quote(query) + ",\"variables\":{\"after\":" + (after == null ? "null" : quote(after)) + "}}";
        long warm = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            if (!checkInBudget(post(server, body))) {
                return Latency.TIMED_OUT;
            }
        }
        int n = (System.nanoTime() - warm) / 5e6 > 1000 ? Math.max(5, runs / 8) : runs;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            if (!checkInBudget(post(server, body))) {
                return Latency.TIMED_OUT;
            }
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new Latency(ms[n / 2], ms[(int) Math.ceil(n * 0.95) - 1]);
    }

    /** False when the service stopped the query at its time budget; any other error fails the benchmark. */
    static boolean checkInBudget(String response) {
        if (response.contains("\"QUERY_TIMEOUT\"")) {
            return false;
        }
        check(response);
        return true;
    }

    /**
     * Every query, round robin, for {@value #WARM_UP_SECONDS} seconds before any is timed, so that each size is
     * measured with the JIT equally warm (a short load would otherwise leave the smallest size cold).
     */
    private void warmUp(ServerProcess server) throws IOException, InterruptedException {
        long until = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < until) {
            for (String query : QUERIES.values()) {
                checkInBudget(post(server, "{\"query\":" + quote(query) + "}"));
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

    /** A query's latency as it is measured, so that a long run read part way (or stopped in its backfill) has it. */
    private static Latency logged(String query, Latency latency) {
        log("  " + query + ": " + (latency.timedOut() ? "QUERY_TIMEOUT" : ms(latency.median()) + " (" + ms(latency.p95()) + ") ms"));
        return latency;
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    private static String count(long n) {
        return n >= 1_000_000 ? (n / 1_000_000) + "M" : (n / 1_000) + "K";
    }

    private void print(List<Long> sizes, List<Engine> engines, Map<Long, Map<Engine, Measured>> results,
                       Map<String, List<Long>> startups, Map<String, Double> sqlite, long sqliteSize) throws IOException {
        long smallest = sizes.stream().mapToLong(Long::longValue).min().orElseThrow();
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(String.join(", ", ServerProcess.describeMachine()))
                .append("; a mid-size company (24 teams, 600 users, 32 workflows, 10 models, 40% scored), records in time order over ")
                .append(SPAN_DAYS).append(" days from ").append(senders).append(" clients in batches of ").append(BATCH).append("; ")
                .append(runs).append(" runs a query (").append(Math.max(5, runs / 8)).append(" for one over a second) after ").append(WARM_UP_SECONDS).append(" s of warm-up; 30-day window [").append(FROM)
                .append(", ").append(END).append("); engines: ").append(String.join(", ", engines.stream().map(e -> e.label).toList()))
                .append(" (PostgreSQL 17 on the same machine, fsync on).\n\n");
        out.append("| query, median (p95) ms end to end |");
        for (long size : sizes) {
            engines.forEach(e -> out.append(' ').append(count(size)).append(' ').append(e.label).append(" |"));
        }
        engines.forEach(e -> out.append(' ').append(count(largest)).append(" / ").append(count(smallest)).append(' ').append(e.label).append(" |"));
        out.append(" article's SQLite, ").append(count(sqliteSize)).append(" |\n|---|");
        out.append("---|".repeat(sizes.size() * engines.size() + engines.size() + 1)).append('\n');
        java.util.function.BiFunction<Long, Engine, Measured> at = (size, engine) -> results.getOrDefault(size, Map.of()).get(engine);
        Measured first = results.values().iterator().next().values().iterator().next();
        for (String query : first.latencies().keySet()) {
            out.append("| `").append(query).append("` |");
            for (long size : sizes) {
                for (Engine engine : engines) {
                    Measured m = at.apply(size, engine);
                    Latency l = m == null ? null : m.latencies().get(query);
                    out.append(' ').append(l == null ? "–" : l.timedOut() ? "`QUERY_TIMEOUT`" : ms(l.median()) + " (" + ms(l.p95()) + ")").append(" |");
                }
            }
            for (Engine engine : engines) {
                Measured large = at.apply(largest, engine);
                Measured small = at.apply(smallest, engine);
                boolean both = large != null && small != null && !large.latencies().get(query).timedOut() && !small.latencies().get(query).timedOut();
                out.append(!both ? " – |" : String.format(Locale.ROOT, " %.2f |",
                        large.latencies().get(query).median() / small.latencies().get(query).median()));
            }
            Double base = sqlite.get(query);
            out.append(' ').append(base == null ? "–" : ms(base)).append(" |\n");
        }
        out.append("\n| figure |");
        for (long size : sizes) {
            engines.forEach(e -> out.append(' ').append(count(size)).append(' ').append(e.label).append(" |"));
        }
        out.append("\n|---|").append("---|".repeat(sizes.size() * engines.size())).append('\n');
        java.util.Set<String> figures = new java.util.LinkedHashSet<>();
        results.values().forEach(byEngine -> byEngine.values().forEach(m -> figures.addAll(m.figures().keySet())));
        for (String figure : figures) {
            out.append("| ").append(figure).append(" |");
            for (long size : sizes) {
                for (Engine engine : engines) {
                    Measured m = at.apply(size, engine);
                    out.append(' ').append(m == null ? "–" : m.figures().getOrDefault(figure, "–")).append(" |");
                }
            }
            out.append('\n');
        }
        out.append("\n| start-up, embedded H2, empty database | measured |\n|---|---|\n");
        startups.forEach((how, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            out.append("| `").append(how).append("` to first answered query (median of ").append(times.size())
                    .append(") | ").append(sorted.get(sorted.size() / 2)).append(" ms (").append(String.join(", ", times.stream().map(String::valueOf).toList()))
                    .append(") |\n");
        });
        System.out.println(out);
    }
}
