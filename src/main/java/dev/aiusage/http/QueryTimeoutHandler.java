package dev.aiusage.http;

import dev.aiusage.domain.QueryTimeoutException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A REST read that ran past its time budget: HTTP 503 with the code a GraphQL client sees. */
@Produces
@Singleton
class QueryTimeoutHandler implements ExceptionHandler<QueryTimeoutException, HttpResponse<BadInputHandler.Body>> {

    @Override
    public HttpResponse<BadInputHandler.Body> handle(HttpRequest request, QueryTimeoutException e) {
        return BadInputHandler.respond(HttpStatus.SERVICE_UNAVAILABLE, "QUERY_TIMEOUT", null, e.getMessage());
    }
}
