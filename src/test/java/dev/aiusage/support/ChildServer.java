package dev.aiusage.support;

import io.micronaut.http.client.HttpClient;

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

/**
 * The service's real main class in a JVM of its own, on the test class path, with application.yml's file
 * database under {@code dir}: something a test can kill with SIGKILL and start again on the same data.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final HttpClient client;

    private ChildServer(Process process, int port) throws IOException {
        this.process = process;
        this.client = HttpClient.create(new URL("http://127.0.0.1:" + port));
    }

    /** Starts the server in {@code dir}; {@code properties} ("name=value") override application.yml. */
    public static ChildServer start(Path dir, int port, String... properties) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("server-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port));
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.add("dev.aiusage.Application");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        builder.environment().remove("AIUSAGE_ADMIN_KEY");
        Process process = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new ChildServer(process, port);
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

    public GraphQL graphql() {
        return new GraphQL(client);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        kill();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
