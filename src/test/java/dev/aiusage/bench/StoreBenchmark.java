package dev.aiusage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The store under a mid-size company's traffic ({@link MidsizeCompany}), in one run, on the real jar:
 * <ol>
 *   <li>1M records over 90 days in time order from two clients (batches of 1,000): acknowledged records per
 *       second, the time until the fold has caught up, and disk bytes per record;</li>
 *   <li>the five analytics queries over the last 30 days, end to end over HTTP, beside DuckDB (in process, the
 *       article's SQL scanning the same records) and the article's SQLite;</li>
 *   <li>a backfill of 100K more records at random moments of the same 90 days, and disk bytes per record after
 *       it and after a restart.</li>
 * </ol>
 * Run by {@code bench/run store} (see the README); {@code --store postgres} runs the service on a PostgreSQL 17
 * server instead ({@link BenchPostgres}), where disk is the database's size and there is no compaction to wait for.
 */
final class StoreBenchmark {
    static final Instant END = Benchmark.END;
    static final int DAYS = 90;
    static final Instant FROM = END.minus(Duration.ofDays(30));
    static final List<String> FIVE = List.of("costByTeam", "costByWorkflow", "modelEfficiency", "dailyTrend", "substitutionOpportunities");

    public static void main(String[] args) throws Exception {
        long inOrder = 1_000_000;
        long backfill = 100_000;
        int runs = 40;
        boolean postgres = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> postgres = switch (args[++i]) {
                    case "postgres" -> true;
                    case "h2" -> false;
                    default -> throw new IllegalArgumentException("--store is h2 or postgres");
                };
                case "--records" -> inOrder = Long.parseLong(args[++i]);
                case "--backfill" -> backfill = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: bench/run store [--store h2|postgres] [--records 1000000] [--backfill 100000] [--runs 40]");
            }
        }
        Path dir = Files.createTempDirectory("aiusage-store-bench").resolve("h2");
        if (postgres) {
            try (BenchPostgres database = new BenchPostgres(dir.getParent().resolve("pg"))) {
                new StoreBenchmark(database).run(inOrder, backfill, runs, dir);
            }
        } else {
            new StoreBenchmark(null).run(inOrder, backfill, runs, dir);
        }
    }

    /** The PostgreSQL server the service runs on, or null for the H2 file. */
    private final BenchPostgres postgres;

    private StoreBenchmark(BenchPostgres postgres) {
        this.postgres = postgres;
    }

    private void run(long inOrder, long backfill, int runs, Path dir) throws Exception {
        Path jar = Path.of("target/ai-usage-analytics.jar");
        MidsizeCompany company = new MidsizeCompany(1, END, DAYS);
        Benchmark client = new Benchmark(runs, 2);
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Benchmark.Latency> ours = new LinkedHashMap<>();
        long total = inOrder + backfill;
        try (ServerProcess server = ServerProcess.start(jar, dir, List.of("-Xmx2g"), postgres)) {
            Benchmark.log("ingesting " + inOrder + " records in time order" + (postgres == null ? " (H2)" : " (PostgreSQL)"));
            long started = System.nanoTime();
            double rate = client.ingest(server, inOrder, i -> company.inOrder(i, inOrder));
            double folded = waitForFold(client, server, started);
            figures.put(count(inOrder) + " records in time order: acknowledged (durable)", String.format(Locale.ROOT, "%,.0f records/s", rate));
            figures.put(count(inOrder) + " records in time order: all folded after", String.format(Locale.ROOT, "%.1f s (%,.0f records/s)", folded, inOrder / folded));
            figures.put(count(inOrder) + " records in time order: disk once folded", perRecord(dir, inOrder));
            if (postgres == null) {
                figures.put(count(inOrder) + " records in time order: disk once the idle compaction settled", settled(dir, inOrder));
            }
            Benchmark.log("timing the five queries");
            // the five in turn for as long as the other benchmark warms up: a service runs for days, so its request
            // path is compiled; twenty rounds left it half-warm (costByWorkflow 9.6 ms, 2.0-2.4 ms once warm)
            long warmUntil = System.nanoTime() + Benchmark.WARM_UP_SECONDS * 1_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                for (String name : FIVE) {
                    Benchmark.check(client.post(server, body(Benchmark.QUERIES.get(name))));
                }
            }
            for (String name : FIVE) {
                ours.put(name, client.time(server, Benchmark.QUERIES.get(name), null));
            }
            Benchmark.log("backfilling " + backfill + " records in random order");
            started = System.nanoTime();
            long offset = inOrder;
            rate = client.ingest(server, backfill, i -> company.anyTime(offset + i));
            folded = waitForFold(client, server, started);
            figures.put(count(backfill) + " more at random moments of the 90 days: acknowledged (durable)", String.format(Locale.ROOT, "%,.0f records/s", rate));
            figures.put(count(backfill) + " more at random moments of the 90 days: all folded after", String.format(Locale.ROOT, "%.1f s", folded));
            figures.put("after the backfill: disk once folded", perRecord(dir, total));
            if (postgres == null) {
                figures.put("after the backfill: disk once the idle compaction settled", settled(dir, total));
            }
            figures.put("heap in use after full GC", server.heapUsedAfterGcMiB() + " MiB");
        }
        figures.put("after a restart: disk", perRecord(dir, total));
        try (ServerProcess restarted = ServerProcess.start(jar, dir, List.of("-Xmx2g"), postgres)) {
            figures.put("restart to first answer, " + count(total) + " records", restarted.startToFirstAnswerMs + " ms");
            String info = client.post(restarted, body("{ serviceInfo { records } }"));
            if (!info.contains("\"records\":" + total)) {
                throw new IllegalStateException("expected " + total + " records after the restart: " + info);
            }
        }

        Benchmark.log("DuckDB and SQLite on the same " + inOrder + " records");
        Map<String, Double> duck = new LinkedHashMap<>();
        try (DuckDbBaseline duckdb = new DuckDbBaseline()) {
            duckdb.load(i -> company.inOrder(i, inOrder), inOrder, dir.getParent());
            for (String name : FIVE) {
                duck.put(name, median(runs, () -> duckdb.run(name, FROM, END)));
            }
        }
        Map<String, Double> sqlite = new LinkedHashMap<>();
        try (SqliteBaseline baseline = new SqliteBaseline(dir.getParent().resolve("article.db"))) {
            baseline.load(i -> company.inOrder(i, inOrder), inOrder);
            for (String name : FIVE) {
                sqlite.put(name, median(Math.max(3, runs / 8), () -> baseline.run(name, FROM, END)));
            }
        }
        print(inOrder, runs, figures, ours, duck, sqlite);
    }

    private static String body(String query) {
        return "{\"query\":" + Benchmark.quote(query) + "}";
    }

    /** Seconds from {@code started} until the service reports no unfolded record. */
    static double waitForFold(Benchmark client, ServerProcess server, long started) throws Exception {
        Pattern unfolded = Pattern.compile("\"unfoldedRecords\":(\\d+)");
        while (true) {
            Matcher m = unfolded.matcher(client.post(server, body("{ serviceInfo { unfoldedRecords } }")));
            if (m.find() && m.group(1).equals("0")) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(100);
        }
    }

    /**
     * The size once the service's idle compaction stopped shrinking the file (no change over 40 s, at most 3
     * minutes), and how long that took.
     */
    private String settled(Path dir, long records) throws Exception {
        long started = System.nanoTime();
        long last = bytes(dir);
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() - unchangedSince < 40_000_000_000L && System.nanoTime() - started < 180_000_000_000L) {
            Thread.sleep(1000);
            long now = bytes(dir);
            if (now != last) {
                last = now;
                unchangedSince = System.nanoTime();
            }
        }
        return perRecord(dir, records) + String.format(Locale.ROOT, ", after %.0f s", (unchangedSince - started) / 1e9);
    }

    private long bytes(Path dir) throws Exception {
        return bytes(postgres, dir);
    }

    /** The database's size: PostgreSQL's {@code pg_database_size}, or the H2 file under {@code dir} (postgres null). */
    static long bytes(BenchPostgres postgres, Path dir) throws Exception {
        if (postgres != null) {
            return postgres.bytes();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Size of the database's files, in all and per record. */
    private String perRecord(Path dir, long records) throws Exception {
        long bytes = bytes(dir);
        return String.format(Locale.ROOT, "%,d B per record (%,.0f MB for %s)", bytes / records, bytes / 1e6, count(records));
    }

    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    private static double median(int times, Run run) throws Exception {
        run.run();
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[times / 2];
    }

    private static String count(long n) {
        return n >= 1_000_000 && n % 1_000_000 == 0 ? (n / 1_000_000) + "M" : String.format(Locale.ROOT, "%,d", n);
    }

    private void print(long records, int runs, Map<String, String> figures, Map<String, Benchmark.Latency> ours,
                              Map<String, Double> duck, Map<String, Double> sqlite) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ").append(String.join(", ", ServerProcess.describeMachine()))
                .append("; a mid-size company (24 teams, 600 users, 32 workflows, 10 models, 40% scored); 30-day window [")
                .append(FROM).append(", ").append(END).append(") of ").append(count(records)).append(" records over ").append(DAYS)
                .append(" days; medians of ").append(runs).append(" runs after ").append(Benchmark.WARM_UP_SECONDS)
                .append(" s of warm-up; the service on ")
                .append(postgres == null ? "its embedded H2 file" : "PostgreSQL 17 (same machine, fsync on)").append(".\n\n");
        out.append("| query at ").append(count(records)).append(", ms | ai-usage-analytics, end to end over HTTP: median (p95) | DuckDB in process, raw scan | ×DuckDB | article's SQLite | ×SQLite |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (String name : FIVE) {
            Benchmark.Latency l = ours.get(name);
            out.append("| `").append(name).append("` | ").append(Benchmark.ms(l.median())).append(" (").append(Benchmark.ms(l.p95())).append(") | ")
                    .append(Benchmark.ms(duck.get(name))).append(" | ").append(String.format(Locale.ROOT, "%.1f×", duck.get(name) / l.median()))
                    .append(" | ").append(Benchmark.ms(sqlite.get(name))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f×", sqlite.get(name) / l.median())).append(" |\n");
        }
        out.append("\n| figure | measured |\n|---|---|\n");
        figures.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        System.out.println(out);
    }
}
