package dev.aiusage.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP server on loopback standing in for Slack, Jira or ClickUp: it records every request it gets
 * and answers with a set reply, or with the failures it is told to give next.
 */
public final class FakeReceiver implements AutoCloseable {
    /** One request as it arrived. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Reply> next = new ArrayDeque<>();
    private Reply usual;

    private FakeReceiver(int status, String body) {
        this.usual = new Reply(status, body);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver that answers every request with {@code status} and {@code body} unless told otherwise. */
    public static FakeReceiver answering(int status, String body) {
        return new FakeReceiver(status, body);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next request gets {@code status} and {@code body}, once. */
    public synchronized void failNext(int status, String body) {
        next.addLast(new Reply(status, body));
    }

    public synchronized void answer(int status, String body) {
        usual = new Reply(status, body);
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized void clear() {
        received.clear();
        next.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Reply reply;
        synchronized (this) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            reply = next.isEmpty() ? usual : next.removeFirst();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.body().startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
