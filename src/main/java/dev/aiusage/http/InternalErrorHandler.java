package dev.aiusage.http;

import dev.aiusage.domain.ErrorBodies;
import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * The last line: anything unexpected that escapes a controller is logged with a reference and reaches the
 * client as a generic message, never as the exception's text (which names classes). More specific handlers
 * (bad input, forbidden, body too large) still take their own exceptions.
 */
@Produces
@Singleton
class InternalErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<Map<String, Object>>> {
    private static final Logger LOG = LoggerFactory.getLogger(InternalErrorHandler.class);

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, RuntimeException e) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Unexpected failure on {} {} (reference {})", request.getMethod(), request.getPath(), reference, e);
        return Refusals.respond(request, ErrorCode.INTERNAL, null, ErrorBodies.internalMessage(reference), Map.of("reference", reference));
    }
}
