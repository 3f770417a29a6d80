package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.server.exceptions.BufferLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * A body read whole (GraphQL, OTLP, LiteLLM) over micronaut.server.max-request-buffer-size: 413 with its own code, as
 * {@link PayloadTooLargeHandler} answers a streamed one, rather than Micronaut's own text naming its settings.
 */
@Produces
@Singleton
@Replaces(BufferLengthExceededHandler.class)
class BufferTooLargeHandler implements ExceptionHandler<BufferLengthExceededException, HttpResponse<Map<String, Object>>> {

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, BufferLengthExceededException e) {
        return Refusals.respond(request, ErrorCode.PAYLOAD_TOO_LARGE, null,
                "The request body is larger than this service reads whole (10 MB); send at most 5,000 records a batch, or stream a file to POST /import.");
    }
}
