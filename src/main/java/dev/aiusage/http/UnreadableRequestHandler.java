package dev.aiusage.http;

import dev.aiusage.domain.ErrorBodies;
import dev.aiusage.graphql.UnreadableRequestException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** A GraphQL request that cannot be read is answered as HTTP 400 in the GraphQL error shape. */
@Produces
@Singleton
class UnreadableRequestHandler implements ExceptionHandler<UnreadableRequestException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, UnreadableRequestException e) {
        return HttpResponse.badRequest(ErrorBodies.graphql("BAD_USER_INPUT", e.getMessage()));
    }
}
