package dev.aiusage.graphql;

/** The body of a GraphQL request is not the JSON object the GraphQL-over-HTTP convention asks for. */
public class UnreadableRequestException extends RuntimeException {
    public UnreadableRequestException() {
        super("The request body is not a JSON object with a 'query' string (and optional 'variables' object and 'operationName').");
    }
}
