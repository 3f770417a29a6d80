package dev.aiusage.http;

import dev.aiusage.access.ForbiddenException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** REST clients get a refusal as HTTP 403 with the same code and field a GraphQL client sees. */
@Produces
@Singleton
class ForbiddenHandler implements ExceptionHandler<ForbiddenException, HttpResponse<BadInputHandler.Body>> {

    @Override
    public HttpResponse<BadInputHandler.Body> handle(HttpRequest request, ForbiddenException e) {
        return BadInputHandler.respond(HttpStatus.FORBIDDEN, "FORBIDDEN", e.field(), e.getMessage());
    }
}
