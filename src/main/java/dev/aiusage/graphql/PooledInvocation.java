package dev.aiusage.graphql;

import dev.aiusage.access.Access;
import dev.aiusage.access.AccessFilter;
import dev.aiusage.domain.ErrorCode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.language.OperationDefinition;
import io.micronaut.configuration.graphql.DefaultGraphQLInvocation;
import io.micronaut.configuration.graphql.GraphQLExecutionInputCustomizer;
import io.micronaut.configuration.graphql.GraphQLInvocation;
import io.micronaut.configuration.graphql.GraphQLInvocationData;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every GraphQL operation off Netty's event loop, on bounded pools: queries on the read pool, mutations
 * (ingest above all) on a pool of their own, so slow reads can neither stall the event loop (and with it
 * every other request, {@code currentAccess} included) nor starve writers. A pool whose threads and queue are
 * all taken refuses with {@code TOO_MANY_REQUESTS} (HTTP 429, {@code Retry-After}) rather than queueing
 * without end. A mutation sent with GET is refused with 405 and {@code Allow: POST}: a link or an image tag on
 * any web page must not be able to change anything.
 *
 * <p>Each key (in open mode, everyone together) may have at most {@code aiusage.limits.requests-per-key}
 * operations in flight in each pool, running or queued; beyond that it is refused with the same 429, so one
 * client's burst of slow reads can take neither every read thread nor the whole queue from the others.
 */
@Singleton
@Replaces(DefaultGraphQLInvocation.class)
class PooledInvocation implements GraphQLInvocation {
    private final GraphQL graphQL;
    private final GraphQLExecutionInputCustomizer customizer;
    private final ThreadPoolExecutor readers;
    private final ThreadPoolExecutor writers;
    private final Scheduler readScheduler;
    private final Scheduler writeScheduler;
    private final int perKey;
    /** Operations in flight per pool and key ({@code r:key:12}, {@code w:open}); entries go when they reach zero. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final OperationKinds kinds;

    PooledInvocation(GraphQL graphQL, GraphQLExecutionInputCustomizer customizer, OperationKinds kinds,
                     @Value("${aiusage.limits.read-threads:8}") int readThreads,
                     @Value("${aiusage.limits.write-threads:2}") int writeThreads,
                     @Value("${aiusage.limits.queued-requests:200}") int queued,
                     @Value("${aiusage.limits.requests-per-key:6}") int perKey) {
        this.perKey = Math.max(1, perKey);
        this.graphQL = graphQL;
        this.customizer = customizer;
        this.kinds = kinds;
        this.readers = pool("graphql-read", readThreads, queued);
        this.writers = pool("graphql-write", writeThreads, queued);
        this.readScheduler = Schedulers.fromExecutor(readers);
        this.writeScheduler = Schedulers.fromExecutor(writers);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queued) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, queued)), r -> {
            Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Publisher<ExecutionResult> invoke(GraphQLInvocationData data, HttpRequest httpRequest, MutableHttpResponse<String> response) {
        OperationDefinition.Operation kind = kinds.of(data.getQuery(), data.getOperationName());
        if (kind == OperationDefinition.Operation.SUBSCRIPTION) {
            return Mono.just(refusal(ErrorCode.BAD_USER_INPUT, "Subscriptions are not served over HTTP; send a query or a mutation.",
                    "query"));
        }
        boolean mutation = kind == OperationDefinition.Operation.MUTATION;
        if (mutation && httpRequest.getMethod() == HttpMethod.GET) {
            response.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, HttpMethod.POST.name());
            return Mono.just(refusal(ErrorCode.METHOD_NOT_ALLOWED, "Mutations are accepted with POST only.", null));
        }
        String slot = (mutation ? "w:" : "r:") + httpRequest.getAttribute(AccessFilter.ATTRIBUTE, Access.class).map(Access::caller).orElse("none");
        Scheduler scheduler = mutation ? writeScheduler : readScheduler;
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(data.getQuery())
                .operationName(data.getOperationName())
                .variables(data.getVariables() == null ? Map.of() : data.getVariables())
                .build();
        Mono<ExecutionResult> run = Mono.defer(() -> Mono.from(customizer.customize(input, httpRequest, response)))
                .flatMap(customized -> Mono.fromFuture(graphQL.executeAsync(customized)))
                .subscribeOn(scheduler)
                .doFinally(signal -> release(slot));
        // the key's slot is taken when the answer is subscribed to, and given back however the run ends
        return Mono.defer(() -> {
                    if (!acquire(slot)) {
                        response.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "1");
                        return Mono.just(refusal(ErrorCode.TOO_MANY_REQUESTS, "This key already has " + perKey + " "
                                + (mutation ? "writes" : "reads") + " in flight, the most one key may have; retry in a second.", null));
                    }
                    return run;
                })
                .onErrorResume(PooledInvocation::unknownOperation, unknown -> Mono.just(refusal(ErrorCode.BAD_USER_INPUT,
                        "operationName must name one operation of the document (it may be left out when there is only one).",
                        "operationName")))
                .onErrorResume(RejectedExecutionException.class, busy -> {
                    response.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "1");
                    return Mono.just(refusal(ErrorCode.TOO_MANY_REQUESTS, "The service is at its limit of concurrent "
                            + (mutation ? "writes" : "reads") + "; retry in a second.", null));
                });
    }

    private boolean acquire(String slot) {
        int now = inFlight.merge(slot, 1, Integer::sum);
        if (now > perKey) {
            release(slot);
            return false;
        }
        return true;
    }

    private void release(String slot) {
        inFlight.computeIfPresent(slot, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static ExecutionResult refusal(ErrorCode code, String message, String field) {
        Map<String, Object> extensions = field == null ? Map.of(ErrorCode.CODE, code.name())
                : Map.of(ErrorCode.CODE, code.name(), ErrorCode.FIELD, field);
        return ExecutionResultImpl.newExecutionResult().addError(GraphqlErrorBuilder.newError().message(message)
                .errorType(graphql.ErrorClassification.errorClassification(code.name()))
                .extensions(extensions).build()).build();
    }

    /** graphql-java's refusal of an operation name that names none, or of several operations without a name. */
    private static boolean unknownOperation(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof graphql.execution.UnknownOperationException) {
                return true;
            }
        }
        return false;
    }

    @PreDestroy
    void stop() {
        readers.shutdown();
        writers.shutdown();
    }
}
