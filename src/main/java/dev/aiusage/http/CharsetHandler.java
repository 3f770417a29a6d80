package dev.aiusage.http;

import dev.aiusage.domain.ErrorBodies;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/**
 * A body in a character set the service does not know ({@code Content-Type: application/json; charset=x-bogus}):
 * HTTP 415 in the GraphQL error shape, without repeating the name sent.
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
            return HttpResponse.<Map<String, Object>>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .body(ErrorBodies.graphql("BAD_USER_INPUT", "The request's charset is not supported; send UTF-8.",
                            Map.of("field", "Content-Type")));
        }
        return internal.handle(request, e);
    }
}
