package dev.aiusage.bench;

import dev.aiusage.ingest.UsageInput;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bulk import of history as a big customer's looks: {@code --records} (default 1,000,000) calls of the mid-size
 * company at random moments of 90 days, written as a JSONL file with our field names, posted to {@code POST /import}
 * (streamed) on an empty database. Reports the rate until the import's answer (every record stored, durable), the time
 * until the fold caught up, and the server's heap in use after a full GC, sampled while the import runs, to show it
 * stays flat. {@code bench/run import [--records N] [--store h2|postgres]}.
 */
final class ImportBenchmark {
    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long records = 1_000_000;
        boolean postgres = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--store" -> postgres = args[++i].equals("postgres");
                default -> throw new IllegalArgumentException("usage: bench/run import [--records 1000000] [--store h2|postgres]");
            }
        }
        Path work = Files.createTempDirectory("aiusage-import");
        Path file = work.resolve("usage.jsonl");
        MidsizeCompany company = new MidsizeCompany(Benchmark.SEED, Benchmark.END, Benchmark.SPAN_DAYS);
        Benchmark.log("writing " + records + " records at random moments to " + file);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < records; i++) {
                out.write(line(company.anyTime(i)));
                out.write('\n');
            }
        }
        long fileBytes = Files.size(file);
        Benchmark client = new Benchmark(1, 1);
        try (BenchPostgres database = postgres ? new BenchPostgres(work.resolve("pg")) : null;
             ServerProcess server = ServerProcess.start(Path.of("target/ai-usage-analytics.jar"), work.resolve("h2"), List.of(), database)) {
            List<String> machine = ServerProcess.describeMachine();
            long heapBefore = server.heapUsedAfterGcMiB();
            Benchmark.log("importing " + fileBytes / 1_000_000 + " MB");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/import"))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
            List<Long> heap = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            while (!answer.isDone()) {
                Thread.sleep(5000);
                if (!answer.isDone()) {
                    heap.add(server.heapUsedAfterGcMiB());
                    rss.add(server.rssMiB());
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String summary = answer.get().body();
            double folded = StoreBenchmark.waitForFold(client, server, started);
            Matcher accepted = Pattern.compile("\"accepted\":(\\d+)").matcher(summary);
            long stored = accepted.find() ? Long.parseLong(accepted.group(1)) : -1;
            List<Long> sorted = new ArrayList<>(heap);
            Collections.sort(sorted);
            System.out.println("## Bulk import, " + (postgres ? "PostgreSQL" : "H2") + ", " + records + " records at random moments of "
                    + Benchmark.SPAN_DAYS + " days (JSONL, " + fileBytes / 1_000_000 + " MB)");
            System.out.println();
            machine.forEach(System.out::println);
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("|---|---|");
            System.out.println("| records stored (the import's answer) | " + stored + " of " + records + " |");
            System.out.println(String.format(Locale.ROOT, "| import, until its answer (every record durable) | %.1f s: %,.0f records/s |", seconds, stored / seconds));
            System.out.println(String.format(Locale.ROOT, "| all folded into the rollups after | %.1f s |", folded));
            System.out.println("| server heap in use after a full GC, before | " + heapBefore + " MiB |");
            System.out.println("| the same every 5 s while importing (" + heap.size() + " samples): min / median / max | "
                    + (sorted.isEmpty() ? "–" : sorted.get(0) + " / " + sorted.get(sorted.size() / 2) + " / " + sorted.get(sorted.size() - 1) + " MiB") + " |");
            System.out.println("| the heap samples in order | " + heap + " |");
            System.out.println("| server RSS while importing: max | " + (rss.isEmpty() ? "–" : Collections.max(rss) + " MiB") + " |");
            System.out.println("| disk per record once folded | " + StoreBenchmark.bytes(database, work.resolve("h2")) / Math.max(1, stored) + " B |");
        } finally {
            Benchmark.deleteTree(work);
        }
    }

    private static String line(UsageInput r) {
        StringBuilder s = new StringBuilder(320);
        s.append("{\"ts\":\"").append(r.ts()).append("\",\"provider\":\"").append(r.provider()).append("\",\"model\":\"").append(r.model())
                .append("\",\"team\":\"").append(r.team()).append("\",\"user\":\"").append(r.user()).append("\",\"taskType\":\"").append(r.taskType())
                .append("\",\"workflow\":\"").append(r.workflow()).append("\",\"inputTokens\":").append(r.inputTokens())
                .append(",\"outputTokens\":").append(r.outputTokens()).append(",\"costUsd\":").append(r.costUsd())
                .append(",\"latencyMs\":").append(r.latencyMs());
        if (r.qualityScore() != null) {
            s.append(",\"qualityScore\":").append(r.qualityScore()).append(",\"passedQuality\":").append(r.passedQuality());
        }
        return s.append(",\"requestId\":\"").append(r.requestId()).append("\",\"sessionId\":\"").append(r.sessionId()).append("\"}").toString();
    }
}
