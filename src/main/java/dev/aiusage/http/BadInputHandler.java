package dev.aiusage.http;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** REST clients get bad input as HTTP 400 with the same code and field a GraphQL client sees. */
@Produces
@Singleton
class BadInputHandler implements ExceptionHandler<BadInputException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, BadInputException e) {
        return Refusals.respond(request, ErrorCode.BAD_USER_INPUT, e.field(), e.getMessage());
    }
}
