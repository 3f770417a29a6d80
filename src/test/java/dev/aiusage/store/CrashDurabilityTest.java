package dev.aiusage.store;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Usage;
import io.micronaut.http.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A record acknowledged to the client survives the server being killed with SIGKILL: the service runs in a
 * separate JVM on the default file-database settings, is killed right after answering, and restarted.
 */
class CrashDurabilityTest {
    /** Few enough that H2 would still hold them in memory without WRITE_DELAY=0 (500 were flushed anyway). */
    private static final int RECORDS = 3;

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveKillDashNine() throws Exception {
        int port = freePort();
        Process server = start(port);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            batch.add(Usage.of("2026-09-01T00:00:00Z", "crash", "m", null, "t", 0.25).set("requestId", "crash-" + i).map());
        }
        try (HttpClient client = HttpClient.create(new URL("http://127.0.0.1:" + port))) {
            assertEquals(RECORDS, Json.whole(new GraphQL(client).data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.accepted"));
        } finally {
            server.destroyForcibly().waitFor();
        }
        Process restarted = start(port);
        try (HttpClient client = HttpClient.create(new URL("http://127.0.0.1:" + port))) {
            GraphQL graphql = new GraphQL(client);
            assertEquals(RECORDS, Json.whole(graphql.data("serviceInfo", Map.of()), "serviceInfo.records"));
            assertEquals(RECORDS, Json.whole(graphql.data("recordUsageBatch", Map.of("inputs", batch)), "recordUsageBatch.duplicates"));
        } finally {
            restarted.destroyForcibly().waitFor();
        }
    }

    /** The real main class on the test class path, with application.yml's database URL pointed into a temp folder. */
    private Process start(int port) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("server-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port, "dev.aiusage.Application")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        Process process = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("server did not start within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
