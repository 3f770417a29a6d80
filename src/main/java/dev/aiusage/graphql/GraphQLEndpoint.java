package dev.aiusage.graphql;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.ErrorCode;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import io.micronaut.configuration.graphql.GraphQLController;
import io.micronaut.configuration.graphql.GraphQLInvocation;
import io.micronaut.configuration.graphql.GraphQLInvocationData;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * GraphQL over HTTP as its specification says, in place of the library's controller: {@code application/json}
 * and {@code application/graphql-response+json} answers chosen by {@code Accept}; with the latter a request that
 * could not run (unparsable, invalid, bad variables) is HTTP 400 without {@code data}, and a request error is
 * never mistaken for a partial answer. A body or parameter of the wrong shape ({@code query} not a string,
 * {@code variables} not an object, JSON that does not parse) is HTTP 400 with a code and the parameter at fault,
 * before anything runs. The operation itself runs on {@link PooledInvocation}'s pools.
 */
@Controller("${graphql.path:/graphql}")
@Replaces(GraphQLController.class)
class GraphQLEndpoint {
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private static final MediaType GRAPHQL_RESPONSE = MediaType.of(GRAPHQL_RESPONSE_JSON + ";charset=utf-8");
    private static final MediaType JSON = MediaType.of(MediaType.APPLICATION_JSON + ";charset=utf-8");
    static final MediaType CSV = MediaType.of("text/csv;charset=utf-8");

    private final GraphQLInvocation invocation;
    private final JsonMapper json;
    private final GraphQLSchema schema;

    GraphQLEndpoint(GraphQLInvocation invocation, JsonMapper json, GraphQL graphQL) {
        this.invocation = invocation;
        this.json = json;
        this.schema = graphQL.getGraphQLSchema();
    }

    /** {@code GET /graphql?query=...&variables=...&operationName=...}: queries only (a mutation is 405). */
    @Get(produces = MediaType.ALL, single = true)
    Publisher<MutableHttpResponse<?>> get(@Nullable @QueryValue String query, @Nullable @QueryValue String operationName,
                                               @Nullable @QueryValue String variables, @Nullable @QueryValue String extensions,
                                               HttpRequest<?> request) {
        MediaType answerAs = answerType(request);
        if (query == null) {
            return refuse(answerAs, "query", "Send the operation in the 'query' parameter.");
        }
        Object vars = variables == null ? null : parse(variables);
        Object exts = extensions == null ? null : parse(extensions);
        if (vars == UNPARSABLE || !(vars == null || vars instanceof Map)) {
            return refuse(answerAs, "variables", "'variables' must be a JSON object.");
        }
        if (exts == UNPARSABLE || !(exts == null || exts instanceof Map)) {
            return refuse(answerAs, "extensions", "'extensions' must be a JSON object.");
        }
        return execute(query, operationName, cast(vars), request, answerAs);
    }

    /**
     * {@code POST /graphql} with {@code {"query", "operationName", "variables", "extensions"}} as JSON, or the
     * document itself as {@code application/graphql}; other media types were refused with 415 by
     * {@link GraphQLMediaTypes}.
     */
    @Post(consumes = MediaType.ALL, produces = MediaType.ALL, single = true)
    Publisher<MutableHttpResponse<?>> post(@Nullable @Body String body, HttpRequest<?> request) {
        MediaType answerAs = answerType(request);
        boolean graphqlBody = request.getContentType().map(t -> t.getName().equals("application/graphql")).orElse(false);
        if (body == null || body.isBlank()) {
            return refuse(answerAs, "body", "The request has no body: send {\"query\": ...} as JSON.");
        }
        if (graphqlBody) {
            return execute(body, null, null, request, answerAs);
        }
        if (!(parse(body) instanceof Map<?, ?> map)) {
            return refuse(answerAs, "body", "The request body is not a JSON object with a 'query' string "
                    + "(and optional 'variables' object and 'operationName').");
        }
        Object query = map.get("query");
        if (!(query instanceof String text)) {
            return refuse(answerAs, "query", "'query' must be a string holding the GraphQL document.");
        }
        Object operationName = map.get("operationName");
        if (!(operationName == null || operationName instanceof String)) {
            return refuse(answerAs, "operationName", "'operationName' must be a string or null.");
        }
        Object variables = map.get("variables");
        if (!(variables == null || variables instanceof Map)) {
            return refuse(answerAs, "variables", "'variables' must be a JSON object or null.");
        }
        Object extensions = map.get("extensions");
        if (!(extensions == null || extensions instanceof Map)) {
            return refuse(answerAs, "extensions", "'extensions' must be a JSON object or null.");
        }
        return execute(text, (String) operationName, cast(variables), request, answerAs);
    }

    private Publisher<MutableHttpResponse<?>> execute(String query, String operationName, Map<String, Object> variables,
                                                      HttpRequest<?> request, MediaType answerAs) {
        if (answerAs == CSV) {
            CsvExport export;
            try {
                export = CsvExport.plan(query, operationName, schema);
            } catch (BadInputException e) {
                return refuse(JSON, e.field(), e.getMessage());
            }
            if (export != null) {
                return csv(export, query, operationName, variables, request);
            }
            answerAs = JSON;
        }
        MediaType type = answerAs;
        MutableHttpResponse<String> response = HttpResponse.status(HttpStatus.OK);
        GraphQLInvocationData data = new GraphQLInvocationData(query, operationName, variables);
        return Mono.from(invocation.invoke(data, request, response))
                .map(result -> response.status(status(result, response.status(), type))
                        .contentType(type)
                        .body(write(result.toSpecification())));
    }

    /**
     * A query's answer as CSV ({@link CsvExport}), streamed: the first page decides (an error there is answered
     * as JSON with its status, as with {@code application/graphql-response+json}); each further page of a
     * connection is read only when the client has taken the last, so an export of any length holds one page at a
     * time. A page that fails part-way ends the transfer without its last chunk, so the client sees a broken
     * download rather than a file that looks complete.
     */
    private Publisher<MutableHttpResponse<?>> csv(CsvExport export, String query, String operationName, Map<String, Object> variables,
                                                  HttpRequest<?> request) {
        MutableHttpResponse<String> first = HttpResponse.status(HttpStatus.OK);
        GraphQLInvocationData data = new GraphQLInvocationData(export.firstQuery(query), operationName, export.variables(variables, null));
        return Mono.from(invocation.invoke(data, request, first)).map(result -> {
            if (failed(result, first)) {
                HttpStatus status = first.status() != HttpStatus.OK ? first.status() : HttpStatus.valueOf(errorStatus(result));
                return first.status(status).contentType(JSON).body(write(result.toSpecification()));
            }
            Map<String, Object> page = result.getData();
            Flux<String> rest = Mono.justOrEmpty(export.nextCursor(page))
                    .flatMapMany(cursor -> page(export, operationName, variables, request, cursor)
                            .expand(next -> Mono.justOrEmpty(export.nextCursor(next)).flatMap(c -> page(export, operationName, variables, request, c))))
                    .map(export::rows);
            Flux<String> body = Flux.concat(Mono.just(export.header() + export.rows(page)), rest);
            return HttpResponse.ok(body).contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + export.fileName() + "\"");
        });
    }

    private Mono<Map<String, Object>> page(CsvExport export, String operationName, Map<String, Object> variables, HttpRequest<?> request,
                                           String cursor) {
        MutableHttpResponse<String> response = HttpResponse.status(HttpStatus.OK);
        GraphQLInvocationData data = new GraphQLInvocationData(export.firstQuery(null), operationName, export.variables(variables, cursor));
        return Mono.from(invocation.invoke(data, request, response)).flatMap(result -> {
            if (failed(result, response)) {
                return Mono.error(new CsvPageFailed(result.getErrors().isEmpty() ? response.status().toString()
                        : String.valueOf(result.getErrors().get(0).getExtensions())));
            }
            return Mono.just(result.<Map<String, Object>>getData());
        });
    }

    /** Whether a page of a CSV export has no rows to write: an error, a status the invocation set, or no data. */
    private static boolean failed(ExecutionResult result, MutableHttpResponse<String> response) {
        return !result.getErrors().isEmpty() || response.status() != HttpStatus.OK || !(result.getData() instanceof Map<?, ?>);
    }

    /** A later page of a CSV export failed; the transfer ends unfinished. */
    static final class CsvPageFailed extends RuntimeException {
        CsvPageFailed(String what) {
            super("a later page of a CSV export failed: " + what);
        }
    }

    /** The HTTP status of an answer's first error, by its code. */
    private static int errorStatus(ExecutionResult result) {
        Map<String, Object> extensions = result.getErrors().isEmpty() ? null : result.getErrors().get(0).getExtensions();
        Object code = extensions == null ? null : extensions.get(ErrorCode.CODE);
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(code)) {
                return c.status();
            }
        }
        return HttpStatus.BAD_REQUEST.getCode();
    }

    /**
     * With {@code application/json} every executed request is 200 (the errors are in the body); with
     * {@code application/graphql-response+json} a request error (no {@code data} at all) is 400, or 500 when the
     * service itself failed. A status the invocation set (405, 429) stands in both.
     */
    static HttpStatus status(ExecutionResult result, HttpStatus set, MediaType answerAs) {
        if (set != HttpStatus.OK || answerAs != GRAPHQL_RESPONSE || result.isDataPresent()) {
            return set;
        }
        boolean internal = result.getErrors().stream().map(GraphQLError::getExtensions)
                .anyMatch(e -> e != null && ErrorCode.INTERNAL.name().equals(e.get(ErrorCode.CODE)));
        return internal ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
    }

    private Publisher<MutableHttpResponse<?>> refuse(MediaType answerAs, String field, String message) {
        return Mono.just(HttpResponse.<String>status(HttpStatus.BAD_REQUEST).contentType(answerAs == CSV ? JSON : answerAs)
                .body(write(ErrorCode.BAD_USER_INPUT.graphqlBody(message, Map.of(ErrorCode.FIELD, field)))));
    }

    /**
     * The first acceptable of the two types, by the client's preference; {@code application/json} when the
     * client accepts anything, names neither, or sends no {@code Accept}.
     */
    static MediaType answerType(HttpRequest<?> request) {
        List<MediaType> accepted = request.accept().stream()
                .sorted(Comparator.comparing(MediaType::getQualityAsNumber).reversed()).toList();
        for (MediaType type : accepted) {
            if (type.getName().equals("text/csv")) {
                return CSV;
            }
            if (type.getName().equals(GRAPHQL_RESPONSE_JSON)) {
                return GRAPHQL_RESPONSE;
            }
            if (type.getName().equals(MediaType.APPLICATION_JSON) || type.getName().equals(MediaType.ALL)
                    || type.getName().equals("application/*")) {
                return JSON;
            }
        }
        return JSON;
    }

    private static final Object UNPARSABLE = new Object();

    private Object parse(String text) {
        try {
            return json.readValue(text, Argument.OBJECT_ARGUMENT);
        } catch (IOException | RuntimeException e) {
            return UNPARSABLE;
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("a GraphQL answer could not be written as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object variables) {
        return (Map<String, Object>) variables;
    }
}
