package dev.aiusage.http;

import dev.aiusage.graphql.UnreadableRequestException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/** A GraphQL request that cannot be read is answered as HTTP 400 in the GraphQL error shape. */
@Produces
@Singleton
class UnreadableRequestHandler implements ExceptionHandler<UnreadableRequestException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, UnreadableRequestException e) {
        return HttpResponse.badRequest(Map.of("errors", List.of(Map.of(
                "message", e.getMessage(),
                "extensions", Map.of("code", "BAD_USER_INPUT")))));
    }
}
