package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import dev.aiusage.domain.QueryTimeoutException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** A REST read that ran past its time budget: HTTP 503 with the code a GraphQL client sees. */
@Produces
@Singleton
class QueryTimeoutHandler implements ExceptionHandler<QueryTimeoutException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, QueryTimeoutException e) {
        return Refusals.respond(request, ErrorCode.QUERY_TIMEOUT, null, e.getMessage(), Map.of("budgetMs", e.budget().toMillis()));
    }
}
