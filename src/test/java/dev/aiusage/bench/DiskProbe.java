package dev.aiusage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Where an H2 file's bytes go: loads {@code n} records of the mid-size company in time order into the service
 * (as {@code bench/run} does), waits for the fold, stops the service, and prints each table's rows and
 * {@code DISK_SPACE_USED} and the latency sketches' bytes. {@code bench/run disk [n]}; not part of the tests.
 */
public final class DiskProbe {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        Path dir = Files.createTempDirectory("disk-probe");
        Benchmark client = new Benchmark(1, 2);
        MidsizeCompany company = new MidsizeCompany(Benchmark.SEED, Benchmark.END, Benchmark.SPAN_DAYS);
        try (ServerProcess server = ServerProcess.start(Path.of("target/ai-usage-analytics.jar"), dir, List.of())) {
            long started = System.nanoTime();
            client.ingest(server, n, i -> company.inOrder(i, n));
            StoreBenchmark.waitForFold(client, server, started);
            Thread.sleep(30_000); // the quiet spell's compaction
        }
        long file = Files.size(dir.resolve("aiusage.mv.db"));
        System.out.printf(Locale.ROOT, "records %,d, file %,d B, %d B per record%n", n, file, file / n);
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("aiusage"), "sa", "");
             Statement sql = db.createStatement()) {
            for (String table : List.of("USAGE_RECORD", "RECORD_TIME", "REQUEST_KEY", "ROLLUP_FULL", "ROLLUP_WORK", "ROLLUP_TEAM", "ROLLUP_MODEL",
                    "ROLLUP_USER", "ROLLUP_PROMPT")) {
                long rows;
                try (ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                long used;
                try (ResultSet rs = sql.executeQuery("CALL DISK_SPACE_USED('" + table + "')")) {
                    rs.next();
                    used = rs.getLong(1);
                }
                String sketches = "";
                // the prompt rollup keeps sums only
                if (table.startsWith("ROLLUP") && !table.equals("ROLLUP_PROMPT")) {
                    try (ResultSet rs = sql.executeQuery("SELECT SUM(OCTET_LENGTH(latency_sketch)), COUNT(latency_sketch) FROM " + table)) {
                        rs.next();
                        sketches = String.format(Locale.ROOT, ", sketches %,d B in %,d rows (%.1f B per record)", rs.getLong(1), rs.getLong(2),
                                rs.getLong(1) / (double) n);
                    }
                }
                System.out.printf(Locale.ROOT, "%-13s %,10d rows (%.2f per record), %,12d B (%.0f B per record)%s%n", table, rows, rows / (double) n,
                        used, used / (double) n, sketches);
            }
        }
    }
}
