package dev.aiusage.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service as a user runs it: {@code java -jar target/ai-usage-analytics.jar} on a database of its own. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;
    /** Milliseconds from starting the JVM to the first answered GraphQL query. */
    final long startToFirstAnswerMs;

    private ServerProcess(Process process, int port, long startToFirstAnswerMs) {
        this.process = process;
        this.port = port;
        this.startToFirstAnswerMs = startToFirstAnswerMs;
    }

    static ServerProcess start(Path jar, Path dataDir, List<String> jvmOptions) throws IOException, InterruptedException {
        return start(jar, dataDir, jvmOptions, null);
    }

    /** The same on the PostgreSQL database {@code database} names (null: an H2 file under {@code dataDir}). */
    static ServerProcess start(Path jar, Path dataDir, List<String> jvmOptions, BenchPostgres database) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(dataDir);
        List<String> command = new java.util.ArrayList<>(List.of(javaBin()));
        // extra JVM options for the server alone, e.g. a flight recording: BENCH_SERVER_JAVA_OPTS=-XX:StartFlightRecording=...
        String extra = System.getenv("BENCH_SERVER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        // OPTIMIZE_REUSE_RESULTS=FALSE: H2 otherwise answers a query repeated with the same parameters on unchanged
        // tables from the last result, so timing the same query 40 times on a loaded database measures that cache
        // (0.1 ms for a scan that takes 75 ms). A live service ingests all the time, which empties it anyway.
        // No WRITE_DELAY: the service makes commits durable itself.
        if (database == null) {
            builder.environment().put("DATASOURCES_DEFAULT_URL", "jdbc:h2:file:" + dataDir.resolve("aiusage") + ";DB_CLOSE_ON_EXIT=FALSE;OPTIMIZE_REUSE_RESULTS=FALSE");
        } else {
            builder.environment().put("DATASOURCES_DEFAULT_URL", database.url());
            builder.environment().put("DATASOURCES_DEFAULT_USERNAME", "postgres");
            builder.environment().put("DATASOURCES_DEFAULT_PASSWORD", "");
        }
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ serviceInfo { records } }\"}")).build();
        long started = System.nanoTime();
        Process process = builder.start();
        while (process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"records\"")) {
                    return new ServerProcess(process, port, (System.nanoTime() - started) / 1_000_000);
                }
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
            if (System.nanoTime() - started > Duration.ofSeconds(120).toNanos()) {
                process.destroyForcibly();
                throw new IllegalStateException("server did not answer within 120 s; see " + dataDir.resolve("server.log"));
            }
        }
        throw new IllegalStateException("server exited; see " + dataDir.resolve("server.log"));
    }

    /** Resident set size of the server process, in MiB. */
    long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        return -1;
    }

    /** Heap in use after a full GC, in MiB, read with the JDK's jcmd. */
    long heapUsedAfterGcMiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static List<String> describeMachine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(0L);
        return List.of(Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")",
                (memKb / 1024 / 1024) + " GiB RAM", "Java " + System.getProperty("java.version"));
    }
}
