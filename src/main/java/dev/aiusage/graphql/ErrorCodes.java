package dev.aiusage.graphql;

/** The values of {@code extensions.code} that clients can branch on. */
final class ErrorCodes {
    static final String BAD_USER_INPUT = "BAD_USER_INPUT";
    static final String FORBIDDEN = "FORBIDDEN";
    static final String INTERNAL = "INTERNAL";
    static final String QUERY_TIMEOUT = "QUERY_TIMEOUT";
    static final String NOT_CONFIGURED = "NOT_CONFIGURED";
    static final String CODE = "code";
    static final String FIELD = "field";

    private ErrorCodes() {
    }
}
