package dev.aiusage.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The error shapes clients branch on, for the answers that are made outside graphql-java. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** {@code {"errors": [{"message": ..., "extensions": {"code": ..., ...}}]}}, as a GraphQL error reads. */
    public static Map<String, Object> graphql(String code, String message, Map<String, Object> moreExtensions) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        extensions.putAll(moreExtensions);
        return Map.of("errors", List.of(Map.of("message", message, "extensions", extensions)));
    }

    public static Map<String, Object> graphql(String code, String message) {
        return graphql(code, message, Map.of());
    }

    /** What a client is told of an unexpected failure: a reference to find it in the log, nothing of the failure. */
    public static String internalMessage(String reference) {
        return "Internal error (reference " + reference + "); the details are in the server log.";
    }
}
