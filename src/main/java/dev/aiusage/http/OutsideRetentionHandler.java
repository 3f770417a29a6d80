package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import dev.aiusage.domain.OutsideRetentionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** A REST read that needs raw records the retention setting no longer keeps: HTTP 410 with the code GraphQL gives. */
@Produces
@Singleton
class OutsideRetentionHandler implements ExceptionHandler<OutsideRetentionException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, OutsideRetentionException e) {
        return Refusals.respond(request, ErrorCode.OUTSIDE_RETENTION, e.field(), e.getMessage(), Map.of("rawFrom", e.rawFrom().toString()));
    }
}
