package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/**
 * A body in a character set the service does not know ({@code Content-Type: application/json; charset=x-bogus}):
 * HTTP 415, without repeating the name sent.
 */
@Produces
@Singleton
class CharsetHandler implements ExceptionHandler<IllegalArgumentException, HttpResponse<Map<String, Object>>> {
    private final InternalErrorHandler internal;

    CharsetHandler(InternalErrorHandler internal) {
        this.internal = internal;
    }

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, IllegalArgumentException e) {
        if (e instanceof UnsupportedCharsetException || e instanceof IllegalCharsetNameException) {
            return Refusals.respond(request, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    "The request's charset is not supported; send UTF-8.");
        }
        return internal.handle(request, e);
    }
}
