package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** A body over micronaut.server.max-request-buffer-size (or a streamed one over max-request-size) is answered 413 with its own code. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, ContentLengthExceededException e) {
        return Refusals.respond(request, ErrorCode.PAYLOAD_TOO_LARGE, null,
                "The request body is larger than this service accepts; send at most 5,000 records a batch.");
    }
}
