package dev.aiusage.http;

import dev.aiusage.access.ForbiddenException;
import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** REST clients get a refusal as HTTP 403 with the same code and field a GraphQL client sees. */
@Produces
@Singleton
class ForbiddenHandler implements ExceptionHandler<ForbiddenException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, ForbiddenException e) {
        return Refusals.respond(request, ErrorCode.FORBIDDEN, e.field(), e.getMessage());
    }
}
