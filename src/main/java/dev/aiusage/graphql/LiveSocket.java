package dev.aiusage.graphql;

import dev.aiusage.access.Access;
import dev.aiusage.access.ApiKeyService;
import dev.aiusage.domain.ErrorBodies;
import dev.aiusage.domain.ErrorCode;
import dev.aiusage.live.UsageFeed;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import jakarta.inject.Named;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GraphQL subscriptions over WebSocket at {@code /graphql-ws}, by the {@code graphql-transport-ws} protocol (as
 * the {@code graphql-ws} client speaks it): {@code connection_init} carries the key as
 * {@code {"Authorization": "Bearer <key>"}} and is answered {@code connection_ack}, or the socket is closed with
 * 4403; then each {@code subscribe} gets {@code next} messages until {@code complete} from either side, or
 * {@code error}. The key's role and team decide what a subscription may see, as for any read: a TEAM key only
 * ever receives its team's records.
 *
 * <p>A client that cannot keep up (more than {@code aiusage.live.max-pending-messages} messages not yet written
 * to its socket) is disconnected with 1013 (try again later); its feed subscriptions end with it, so it holds
 * neither memory nor the fold. Keys are looked up and documents run off the event loop, on the blocking pool.
 * (micronaut-graphql's own handler for this protocol does not start on this Micronaut version.)
 */
@ServerWebSocket(value = "/graphql-ws", subprotocols = LiveSocket.PROTOCOL)
class LiveSocket {
    static final String PROTOCOL = "graphql-transport-ws";
    private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);
    /** Open subscriptions one connection may have. */
    static final int MAX_SUBSCRIPTIONS = 20;

    private final GraphQL graphQL;
    private final OperationKinds kinds;
    private final ApiKeyService keys;
    private final JsonMapper json;
    private final ExecutorService blocking;
    private final TaskScheduler scheduler;
    private final Duration initTimeout;
    private final int maxPending;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    LiveSocket(GraphQL graphQL, OperationKinds kinds, ApiKeyService keys, JsonMapper json, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
               @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
               @Value("${aiusage.live.init-timeout:10s}") Duration initTimeout,
               @Value("${aiusage.live.max-pending-messages:1000}") int maxPending) {
        this.graphQL = graphQL;
        this.kinds = kinds;
        this.keys = keys;
        this.json = json;
        this.blocking = blocking;
        this.scheduler = scheduler;
        this.initTimeout = initTimeout;
        this.maxPending = Math.max(1, maxPending);
    }

    /** One client's socket: who it is once initialised, and its subscriptions by id. */
    private static final class Connection {
        final WebSocketSession session;
        final AtomicBoolean initReceived = new AtomicBoolean();
        volatile Access access;
        final Map<String, Disposable> subscriptions = new ConcurrentHashMap<>();
        final AtomicInteger pending = new AtomicInteger();

        Connection(WebSocketSession session) {
            this.session = session;
        }
    }

    @OnOpen
    void open(WebSocketSession session) {
        Connection connection = new Connection(session);
        connections.put(session.getId(), connection);
        scheduler.schedule(initTimeout, () -> {
            if (connection.access == null && session.isOpen()) {
                session.close(new CloseReason(4408, "Connection initialisation timeout"));
            }
        });
    }

    @OnMessage
    void message(String text, WebSocketSession session) {
        Connection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        Map<String, Object> message = parse(text);
        Object type = message == null ? null : message.get("type");
        if (!(type instanceof String kind)) {
            session.close(new CloseReason(4400, "Invalid message: a JSON object with a type is expected"));
            return;
        }
        switch (kind) {
            case "connection_init" -> {
                if (connection.initReceived.getAndSet(true)) {
                    session.close(new CloseReason(4429, "Too many initialisation requests"));
                } else {
                    blocking.execute(() -> init(connection, message.get("payload")));
                }
            }
            case "ping" -> send(connection, Map.of("type", "pong"));
            case "pong" -> {
                // an answer to a ping of ours: nothing to do
            }
            case "subscribe" -> subscribe(connection, message);
            case "complete" -> {
                Disposable subscription = message.get("id") instanceof String id ? connection.subscriptions.remove(id) : null;
                if (subscription != null) {
                    subscription.dispose();
                }
            }
            default -> session.close(new CloseReason(4400, "Invalid message type"));
        }
    }

    @OnClose
    void close(WebSocketSession session) {
        Connection connection = connections.remove(session.getId());
        if (connection != null) {
            connection.subscriptions.values().forEach(Disposable::dispose);
            connection.subscriptions.clear();
        }
    }

    /** The key of {@code connection_init}, looked up like an HTTP request's; refused with 4403. */
    private void init(Connection connection, Object payload) {
        Optional<String> header = payload instanceof Map<?, ?> map ? map.entrySet().stream()
                .filter(e -> e.getKey() instanceof String name && name.equalsIgnoreCase("Authorization") && e.getValue() instanceof String)
                .map(e -> (String) e.getValue()).findFirst() : Optional.empty();
        Optional<Access> access;
        if (header.isPresent()) {
            access = keys.fromAuthorization(header.get());
        } else {
            access = keys.keysRequired() ? Optional.empty() : Optional.of(Access.OPEN);
        }
        if (access.isEmpty()) {
            connection.session.close(new CloseReason(4403, "Forbidden: send {\"Authorization\": \"Bearer <key>\"} with a valid key"));
            return;
        }
        connection.access = access.get();
        send(connection, Map.of("type", "connection_ack"));
    }

    private void subscribe(Connection connection, Map<String, Object> message) {
        WebSocketSession session = connection.session;
        if (connection.access == null) {
            session.close(new CloseReason(4401, "Unauthorized: send connection_init and wait for connection_ack first"));
            return;
        }
        if (!(message.get("id") instanceof String id) || id.isEmpty() || id.length() > 200) {
            session.close(new CloseReason(4400, "Invalid message: subscribe needs an id"));
            return;
        }
        if (!(message.get("payload") instanceof Map<?, ?> payload) || !(payload.get("query") instanceof String query)) {
            session.close(new CloseReason(4400, "Invalid message: subscribe needs a payload with a query"));
            return;
        }
        Object variables = payload.get("variables");
        Object operationName = payload.get("operationName");
        if (!(variables == null || variables instanceof Map) || !(operationName == null || operationName instanceof String)) {
            sendError(connection, id, ErrorCode.BAD_USER_INPUT, variables == null || variables instanceof Map ? "operationName" : "variables",
                    "variables must be a JSON object and operationName a string");
            return;
        }
        if (connection.subscriptions.putIfAbsent(id, Flux.never().subscribe()) != null) {
            session.close(new CloseReason(4409, "Subscriber for " + id + " already exists"));
            return;
        }
        if (connection.subscriptions.size() > MAX_SUBSCRIPTIONS) {
            connection.subscriptions.remove(id);
            sendError(connection, id, ErrorCode.TOO_MANY_REQUESTS, null,
                    "A connection may hold " + MAX_SUBSCRIPTIONS + " subscriptions; complete one first.");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = variables == null ? Map.of() : (Map<String, Object>) variables;
        blocking.execute(() -> run(connection, id, query, (String) operationName, vars));
    }

    private void run(Connection connection, String id, String query, String operationName, Map<String, Object> variables) {
        OperationDefinition.Operation kind = kinds.of(query, operationName);
        if (kind != null && kind != OperationDefinition.Operation.SUBSCRIPTION) {
            connection.subscriptions.remove(id);
            sendError(connection, id, ErrorCode.BAD_USER_INPUT, "query",
                    "Only subscriptions are served here; send queries and mutations to /graphql.");
            return;
        }
        ExecutionInput input = ExecutionInput.newExecutionInput().query(query).operationName(operationName).variables(variables).build();
        input.getGraphQLContext().put(Access.class, connection.access);
        ExecutionResult result;
        try {
            result = graphQL.execute(input);
        } catch (RuntimeException e) {
            connection.subscriptions.remove(id);
            sendError(connection, id, ErrorCode.BAD_USER_INPUT, "operationName", "operationName must name one operation of the document.");
            return;
        }
        if (!(result.getData() instanceof Publisher<?> events)) {
            connection.subscriptions.remove(id);
            send(connection, Map.of("type", "error", "id", id, "payload", result.getErrors().stream().map(GraphQLError::toSpecification).toList()));
            return;
        }
        @SuppressWarnings("unchecked")
        Publisher<ExecutionResult> results = (Publisher<ExecutionResult>) events;
        Disposable subscription = Flux.from(results).subscribe(
                next -> next(connection, id, next),
                failure -> {
                    if (connection.subscriptions.remove(id) != null) {
                        failed(connection, id, failure);
                    }
                },
                () -> {
                    if (connection.subscriptions.remove(id) != null) {
                        send(connection, Map.of("type", "complete", "id", id));
                    }
                });
        // the client may have completed it, or the socket closed, while the document ran
        if (connection.subscriptions.replace(id, subscription) == null) {
            subscription.dispose();
        }
    }

    private void next(Connection connection, String id, ExecutionResult result) {
        if (connection.pending.get() >= maxPending) {
            if (connection.session.isOpen()) {
                LOG.info("live client {} dropped: {} messages not yet written to its socket", connection.session.getId(), maxPending);
                connection.session.close(new CloseReason(CloseReason.TRY_AGAIN_LATER.getCode(), "Slow consumer: messages are not read fast enough"));
            }
            return;
        }
        send(connection, Map.of("type", "next", "id", id, "payload", result.toSpecification()));
    }

    /** A subscription ended by the feed or the document: the client's mistakes coded, the rest logged. */
    private void failed(Connection connection, String id, Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof UsageFeed.SlowConsumerException || cause instanceof UsageFeed.TooManySubscribersException)) {
            cause = cause.getCause();
        }
        if (cause instanceof UsageFeed.SlowConsumerException) {
            sendError(connection, id, ErrorCode.SLOW_CONSUMER, null, cause.getMessage());
        } else if (cause instanceof UsageFeed.TooManySubscribersException) {
            sendError(connection, id, ErrorCode.TOO_MANY_REQUESTS, null, cause.getMessage());
        } else {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Live subscription failed (reference {})", reference, failure);
            sendError(connection, id, ErrorCode.INTERNAL, null, ErrorBodies.internalMessage(reference));
        }
    }

    private void sendError(Connection connection, String id, ErrorCode code, String field, String message) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put(ErrorCode.CODE, code.name());
        if (field != null) {
            extensions.put(ErrorCode.FIELD, field);
        }
        send(connection, Map.of("type", "error", "id", id, "payload", List.of(Map.of("message", message, "extensions", extensions))));
    }

    private void send(Connection connection, Map<String, Object> message) {
        if (!connection.session.isOpen()) {
            return;
        }
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("a live message could not be written as JSON", e);
        }
        connection.pending.incrementAndGet();
        connection.session.sendAsync(text).whenComplete((sent, error) -> connection.pending.decrementAndGet());
    }

    private Map<String, Object> parse(String text) {
        try {
            Object value = json.readValue(text, Argument.OBJECT_ARGUMENT);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
            return map;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
