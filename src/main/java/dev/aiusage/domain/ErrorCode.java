package dev.aiusage.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every code a client can branch on, with the HTTP status it is answered with and what it means: the one
 * list GraphQL ({@code extensions.code}) and REST ({@code error.code}) share, and the one the README's error
 * table is checked against. A GraphQL error inside an answer that has data travels with HTTP 200; the status
 * here is for a refusal of the whole request (a REST call, a request that could not run).
 */
public enum ErrorCode {
    BAD_USER_INPUT(400, "a value out of range, an unknown argument or field, a value of the wrong type, or a body that is not a GraphQL request"),
    UNAUTHENTICATED(401, "keys are required and the request has none, or an unknown or revoked one"),
    FORBIDDEN(403, "the key's role does not allow this, or a TEAM key asked for another team"),
    NOT_FOUND(404, "a REST resource asked for by id does not exist (an import no longer kept)"),
    METHOD_NOT_ALLOWED(405, "a mutation was sent with GET; nothing ran"),
    NOT_CONFIGURED(409, "a send was asked of a destination that is not configured; extensions.setting names what to set"),
    OUTSIDE_RETENTION(410, "the read needs raw records older than aiusage.retention.raw-days keeps; extensions.rawFrom says from when they are kept"),
    PAYLOAD_TOO_LARGE(413, "the request body is over micronaut.server.max-request-buffer-size (a gzip body inflated over 64 MiB)"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body is not application/json (or application/graphql), or is in a character set other than UTF-8"),
    QUERY_TOO_DEEP(400, "the query nests deeper than aiusage.limits.max-depth; nothing ran"),
    QUERY_TOO_COMPLEX(400, "the query asks for more fields than aiusage.limits.max-complexity; nothing ran"),
    QUERY_TOO_EXPENSIVE(400, "the request's reads cost more than aiusage.limits.max-read-cost; nothing ran"),
    TOO_MANY_REQUESTS(429, "the key's concurrent requests, or the read or write pool and its queue, are full; retry after Retry-After"),
    SLOW_CONSUMER(429, "a live subscription fell behind (aiusage.live.queue records, or aiusage.live.max-pending-messages unsent) and was ended; subscribe again"),
    QUERY_TIMEOUT(503, "the request's reads ran past aiusage.limits.query-time-budget and were stopped"),
    INTERNAL(500, "anything unexpected; the details are in the server log under extensions.reference");

    /** The key of the code in {@code extensions} and in a REST error. */
    public static final String CODE = "code";
    /** The key of the argument, input field, parameter or header at fault. */
    public static final String FIELD = "field";

    private final int status;
    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }

    /** {@code {"errors": [{"message": ..., "extensions": {"code": ..., ...}}]}}, as a GraphQL error reads. */
    public Map<String, Object> graphqlBody(String message, Map<String, Object> moreExtensions) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put(CODE, name());
        extensions.putAll(moreExtensions);
        return Map.of("errors", List.of(Map.of("message", message, "extensions", extensions)));
    }

    /** {@code {"error": {"code", "field", "message"}}}, as a REST error reads; {@code field} may be null. */
    public Map<String, Object> restBody(String field, String message, Map<String, Object> more) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put(CODE, name());
        if (field != null) {
            error.put(FIELD, field);
        }
        error.put("message", message);
        error.putAll(more);
        return Map.of("error", error);
    }

    /**
     * The body for a refusal made outside GraphQL's execution (filters, HTTP error handlers): the REST shape
     * on the REST endpoints ({@code /usage}, {@code /people}, the intake's {@code /ingest}, {@code /import} and {@code
     * /v1/traces}), the GraphQL shape elsewhere, so each client reads errors as its endpoint promises.
     */
    public Map<String, Object> body(String path, String field, String message, Map<String, Object> more) {
        if (path != null && (path.startsWith("/usage") || path.startsWith("/people") || path.startsWith("/ingest")
                || path.startsWith("/import") || path.startsWith("/v1/"))) {
            return restBody(field, message, more);
        }
        Map<String, Object> extensions = new LinkedHashMap<>(more);
        if (field != null) {
            extensions.put(FIELD, field);
        }
        return graphqlBody(message, extensions);
    }
}
