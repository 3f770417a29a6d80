package dev.aiusage.live;

import dev.aiusage.support.GraphQL;
import dev.aiusage.support.Json;
import dev.aiusage.support.Safety;
import dev.aiusage.support.Usage;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscriptions as a browser's graphql-ws client speaks them: a real WebSocket on /graphql-ws with the
 * graphql-transport-ws subprotocol, the key in connection_init, records stored over HTTP arriving as next
 * messages (a TEAM key: only its team's), refusals by the protocol's close codes, and a client that stops reading
 * dropped while ingest goes on.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "aiusage.admin-key", value = LiveTest.ADMIN)
@Property(name = "aiusage.store.fold.interval", value = "200ms")
@Property(name = "aiusage.live.queue", value = "5000")
@Property(name = "aiusage.live.max-pending-messages", value = "20")
class LiveTest {
    static final String ADMIN = "live-admin-key-0123456789";

    @Inject
    EmbeddedServer server;
    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    JsonMapper json;

    GraphQL admin;
    String alphaKey;
    String ingestKey;

    @BeforeAll
    void keys() {
        admin = new GraphQL(client).as(ADMIN);
        alphaKey = (String) Json.at(admin.data("createApiKey", Map.of("name", "alpha dashboard", "role", "TEAM", "team", "live-alpha")),
                "createApiKey.secret");
        ingestKey = (String) Json.at(admin.data("createApiKey", Map.of("name", "live sender", "role", "INGEST")), "createApiKey.secret");
    }

    /** One client socket: every text message it receives, in order, and how it was closed. */
    final class Socket implements WebSocket.Listener {
        final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final boolean reading;
        private volatile boolean paused;
        WebSocket ws;

        Socket(boolean reading) throws Exception {
            this.reading = reading;
            ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.getPort() + "/graphql-ws"), this).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(json.readValue(partial.toString(), Argument.mapOf(String.class, Object.class)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        /** Stops reading: what the server sends stays in the sockets' buffers and then in the server's. */
        void pause() {
            paused = true;
        }

        void resume() {
            paused = false;
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            Safety.assertNoInternals(reason);
            closed.complete(statusCode);
            return null;
        }

        void send(Map<String, Object> message) throws Exception {
            ws.sendText(json.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        }

        Map<String, Object> next() throws InterruptedException {
            Map<String, Object> message = messages.poll(20, TimeUnit.SECONDS);
            assertNotNull(message, "no message within 20 s");
            return message;
        }

        void init(String key) throws Exception {
            send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + key)));
            assertEquals("connection_ack", next().get("type"));
        }

        void subscribe(String id, String query, Map<String, Object> variables) throws Exception {
            send(Map.of("type", "subscribe", "id", id, "payload", Map.of("query", query, "variables", variables)));
        }
    }

    static final String RECORDED = "subscription($filter: UsageFilter) { usageRecorded(filter: $filter) { id team model costUsd requestId } }";

    private void store(String team, int from, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(Usage.of("2026-11-20T10:00:00Z", team, "m", "wf", "t", 0.25).set("requestId", team + "-" + i).map());
        }
        Map<String, Object> data = new GraphQL(client).as(ingestKey).data("recordUsageBatch", Map.of("inputs", records));
        assertEquals((long) count, Json.whole(data, "recordUsageBatch.accepted"));
    }

    @Test
    void aTeamKeyReceivesItsTeamsRecordsAndNoOthers() throws Exception {
        Socket socket = new Socket(true);
        socket.init(alphaKey);
        // asking for another team is refused, as on any read
        socket.subscribe("other", RECORDED, Map.of("filter", Map.of("teams", List.of("live-beta"))));
        Map<String, Object> refused = socket.next();
        assertEquals("error", refused.get("type"));
        assertEquals("FORBIDDEN", Json.at(refused, "payload[0].extensions.code"));
        assertEquals("filter.teams", Json.at(refused, "payload[0].extensions.field"));
        // no filter: the TEAM key's scope narrows it to live-alpha
        socket.subscribe("s1", RECORDED, Map.of());
        Thread.sleep(300);
        store("live-beta", 0, 3);
        store("live-alpha", 0, 2);
        store("live-beta", 3, 3);
        store("live-alpha", 2, 1);
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> message = socket.next();
            assertEquals("next", message.get("type"), () -> "got " + message);
            assertEquals("s1", message.get("id"));
            assertEquals("live-alpha", Json.at(message, "payload.data.usageRecorded.team"));
            assertEquals(0.25, ((Number) Json.at(message, "payload.data.usageRecorded.costUsd")).doubleValue());
            assertNotNull(Json.at(message, "payload.data.usageRecorded.id"));
            received.add((String) Json.at(message, "payload.data.usageRecorded.requestId"));
        }
        assertEquals(List.of("live-alpha-0", "live-alpha-1", "live-alpha-2"), received, "in the order stored");
        // nothing of live-beta follows
        assertEquals(null, socket.messages.poll(1500, TimeUnit.MILLISECONDS));
        socket.send(Map.of("type", "complete", "id", "s1"));
        socket.send(Map.of("type", "ping"));
        assertEquals("pong", socket.next().get("type"));
        socket.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    @Test
    void aWrongKeyIsRefusedAtInit() throws Exception {
        Socket socket = new Socket(true);
        socket.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer not-a-key")));
        assertEquals(4403, socket.closed.get(20, TimeUnit.SECONDS));
        Socket none = new Socket(true);
        none.send(Map.of("type", "connection_init"));
        assertEquals(4403, none.closed.get(20, TimeUnit.SECONDS), "keys are required, so no key is refused");
    }

    @Test
    void subscribingBeforeTheAckIsRefused() throws Exception {
        Socket socket = new Socket(true);
        socket.subscribe("s1", RECORDED, Map.of());
        assertEquals(4401, socket.closed.get(20, TimeUnit.SECONDS));
    }

    @Test
    void mistakesAreErrorsOfTheSubscriptionWithCodes() throws Exception {
        Socket socket = new Socket(true);
        socket.init(alphaKey);
        socket.subscribe("q", "{ serviceInfo { records } }", Map.of());
        Map<String, Object> query = socket.next();
        assertEquals("error", query.get("type"));
        assertEquals("BAD_USER_INPUT", Json.at(query, "payload[0].extensions.code"));
        socket.subscribe("x", "subscription { usageRecorded { nosuchfield } }", Map.of());
        Map<String, Object> invalid = socket.next();
        assertEquals("error", invalid.get("type"));
        assertEquals("x", invalid.get("id"));
        assertEquals("BAD_USER_INPUT", Json.at(invalid, "payload[0].extensions.code"));
        Safety.assertNoInternals(String.valueOf(invalid));
        // an INGEST key may not read
        Socket sender = new Socket(true);
        sender.init(ingestKey);
        sender.subscribe("s", RECORDED, Map.of());
        Map<String, Object> forbidden = sender.next();
        assertEquals("error", forbidden.get("type"));
        assertEquals("FORBIDDEN", Json.at(forbidden, "payload[0].extensions.code"));
        // the same id twice is the protocol's 4409
        socket.subscribe("dup", RECORDED, Map.of());
        socket.subscribe("dup", RECORDED, Map.of());
        assertEquals(4409, socket.closed.get(20, TimeUnit.SECONDS));
    }

    /** Every field of a record, so that each message is large and a client that does not read falls behind soon. */
    static final String EVERYTHING = "subscription($filter: UsageFilter) { usageRecorded(filter: $filter) { id ts provider model team user "
            + "taskType workflow inputTokens outputTokens tokens costUsd latencyMs qualityScore passedQuality requestId sessionId } }";

    @Test
    void aClientThatStopsReadingIsDroppedAndIngestGoesOn() throws Exception {
        Socket slow = new Socket(true);
        slow.init(ADMIN);
        slow.subscribe("all", EVERYTHING, Map.of("filter", Map.of("teams", List.of("live-flood"))));
        Socket reader = new Socket(true);
        reader.init(ADMIN);
        reader.subscribe("one", RECORDED, Map.of("filter", Map.of("teams", List.of("live-after"))));
        Thread.sleep(300);
        slow.pause();
        // 60,000 messages of about 500 bytes: more than the loopback sockets' buffers hold
        for (int batch = 0; batch < 60; batch++) {
            store("live-flood", batch * 1000, 1000);
        }
        // every batch was acknowledged above, and a client that reads is still served
        store("live-after", 0, 1);
        assertEquals("live-after-0", Json.at(reader.next(), "payload.data.usageRecorded.requestId"));
        // the client that did not read was let go: its subscription ended with SLOW_CONSUMER, or its socket closed with 1013
        slow.resume();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int nexts = 0;
        boolean dropped = false;
        while (!dropped && System.nanoTime() < deadline) {
            Map<String, Object> message = slow.messages.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && "next".equals(message.get("type"))) {
                nexts++;
            } else if (message != null) {
                assertEquals("error", message.get("type"), () -> "got " + message);
                assertEquals("SLOW_CONSUMER", Json.at(message, "payload[0].extensions.code"));
                dropped = true;
            } else if (slow.closed.isDone()) {
                assertEquals(1013, slow.closed.get());
                dropped = true;
            }
        }
        assertTrue(dropped, "the slow client was neither ended nor closed");
        assertTrue(nexts < 60_000, "it was dropped before it had every record: " + nexts);
    }
}
