package dev.aiusage.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several writers and several readers at once against the real jar on loopback, for a bounded time. Writers
 * send batches with unique request ids and, now and then, send an acknowledged batch again (a retry, which
 * must store nothing). Readers run the analytics queries. At the end it checks that the stored totals equal
 * exactly what was acknowledged, and prints throughput and errors. Run by {@code bench/load}.
 */
public final class LoadTest {
    private static final int BATCH = 500;
    private static final double COST = 0.01;
    private static final String TEAM_PREFIX = "load-";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
    private int port;

    public static void main(String[] args) throws Exception {
        int seconds = 60;
        int writers = 4;
        int readers = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Math.min(600, Integer.parseInt(args[++i]));
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--readers" -> readers = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: bench/load [--seconds 60] [--writers 4] [--readers 4]");
            }
        }
        System.exit(new LoadTest().run(seconds, writers, readers) ? 0 : 1);
    }

    private boolean run(int seconds, int writers, int readers) throws Exception {
        Path work = Files.createTempDirectory("aiusage-load");
        try (ServerProcess server = ServerProcess.start(Path.of("target/ai-usage-analytics.jar"), work.resolve("h2"), List.of())) {
            port = server.port;
            Instant until = Instant.now().plus(Duration.ofSeconds(seconds));
            ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
            List<Future<?>> workers = new ArrayList<>();
            AtomicLong sequence = new AtomicLong();
            for (int w = 0; w < writers; w++) {
                workers.add(pool.submit(() -> write(until, sequence)));
            }
            for (int r = 0; r < readers; r++) {
                int offset = r;
                workers.add(pool.submit(() -> read(until, offset)));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();

            String totals = post("{ costByTeam(days: 3660) { team requests totalCost } serviceInfo { records } }");
            long storedRequests = sum(totals, "\"requests\":(\\d+)");
            long storedRecords = sum(totals, "\"records\":(\\d+)");
            double storedCost = sumDouble(totals, "\"totalCost\":([0-9.E-]+)");
            boolean totalsMatch = storedRequests == acknowledged.get() && storedRecords == acknowledged.get()
                    && Math.abs(storedCost - acknowledged.get() * COST) < 1e-6;
            System.out.printf(Locale.ROOT, """
                    Load test, %d s on loopback, %s; %d writers (batches of %d), %d readers
                    
                    | figure | measured |
                    |---|---|
                    | records acknowledged | %,d (%,.0f records/s) |
                    | batches sent again as retries (all must be duplicates) | %,d |
                    | analytics queries answered | %,d (%,.0f queries/s) |
                    | errors | %d |
                    | stored records / sum of costByTeam requests / cost | %,d / %,d / %.2f |
                    | totals match what was acknowledged | %s |
                    %n""", seconds, String.join(", ", ServerProcess.describeMachine()), writers, BATCH, readers,
                    acknowledged.get(), acknowledged.get() / (double) seconds, retried.get(), reads.get(), reads.get() / (double) seconds,
                    errors.get(), storedRecords, storedRequests, storedCost, totalsMatch ? "yes" : "NO");
            errorSamples.stream().limit(5).forEach(e -> System.out.println("error: " + e));
            return errors.get() == 0 && totalsMatch;
        }
    }

    private Void write(Instant until, AtomicLong sequence) {
        String previous = null;
        while (Instant.now().isBefore(until)) {
            long b = sequence.getAndIncrement();
            String body = batch(b);
            try {
                String response = post(body);
                if (response.contains("\"accepted\":" + BATCH + ",")) {
                    acknowledged.addAndGet(BATCH);
                    batches.incrementAndGet();
                } else {
                    fail("batch " + b + ": " + response);
                }
                if (previous != null && b % 10 == 0) {
                    String again = post(previous);
                    if (again.contains("\"accepted\":0,\"duplicates\":" + BATCH)) {
                        retried.incrementAndGet();
                    } else {
                        fail("retry stored something: " + again);
                    }
                }
                previous = body;
            } catch (Exception e) {
                fail(e.toString());
            }
        }
        return null;
    }

    private Void read(Instant until, int offset) {
        List<String> queries = new ArrayList<>(Benchmark.QUERIES.values());
        int i = offset;
        while (Instant.now().isBefore(until)) {
            try {
                String response = post(queries.get(i++ % queries.size()));
                reads.incrementAndGet();
                if (response.contains("\"errors\"")) {
                    fail(response);
                }
            } catch (Exception e) {
                fail(e.toString());
            }
        }
        return null;
    }

    private String batch(long b) {
        StringBuilder body = new StringBuilder("{\"query\":\"mutation($inputs: [UsageInput!]!) { recordUsageBatch(inputs: $inputs) { accepted duplicates } }\",\"variables\":{\"inputs\":[");
        Instant ts = Benchmark.END.minus(Duration.ofDays(20)).plusSeconds(b * 7);
        for (int i = 0; i < BATCH; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"ts\":\"").append(ts.plusMillis(i)).append("\",\"provider\":\"p\",\"model\":\"m-").append(i % 3)
                    .append("\",\"team\":\"").append(TEAM_PREFIX).append(i % 5).append("\",\"taskType\":\"t\",\"workflow\":\"w-").append(i % 4)
                    .append("\",\"costUsd\":").append(COST).append(",\"qualityScore\":0.9,\"requestId\":\"load-").append(b).append('-').append(i).append("\"}");
        }
        return body.append("]}}").toString();
    }

    private String post(String queryOrBody) throws Exception {
        String body = queryOrBody.startsWith("{\"query\"") ? queryOrBody : "{\"query\":\"" + queryOrBody.replace("\"", "\\\"") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void fail(String message) {
        errors.incrementAndGet();
        errorSamples.add(message.length() > 300 ? message.substring(0, 300) : message);
    }

    private static long sum(String json, String pattern) {
        long total = 0;
        Matcher m = Pattern.compile(pattern).matcher(json);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static double sumDouble(String json, String pattern) {
        double total = 0;
        Matcher m = Pattern.compile(pattern).matcher(json);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
