package dev.aiusage.http;

import dev.aiusage.domain.BadInputException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** REST clients get bad input as HTTP 400 with the same code and field a GraphQL client sees. */
@Produces
@Singleton
class BadInputHandler implements ExceptionHandler<BadInputException, HttpResponse<BadInputHandler.Body>> {

    @Override
    public HttpResponse<Body> handle(HttpRequest request, BadInputException e) {
        return respond(HttpStatus.BAD_REQUEST, "BAD_USER_INPUT", e.field(), e.getMessage());
    }

    /** The REST error body every handler answers with: {@code {"error": {"code", "field", "message"}}}. */
    static HttpResponse<Body> respond(HttpStatus status, String code, String field, String message) {
        return HttpResponse.<Body>status(status).body(new Body(new Error(code, field, message)));
    }

    @Serdeable
    record Body(Error error) {
    }

    @Serdeable
    record Error(String code, String field, String message) {
    }
}
