package dev.aiusage.http;

import dev.aiusage.domain.ErrorBodies;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** A body over micronaut.server.max-request-size is answered 413 in the GraphQL error shape, with its own code. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, ContentLengthExceededException e) {
        return HttpResponse.<Map<String, Object>>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(ErrorBodies.graphql("PAYLOAD_TOO_LARGE",
                "The request body is larger than this service accepts; send at most 5,000 records a batch."));
    }
}
