package dev.aiusage.http;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.Map;

/** The HTTP answer to a refusal made outside GraphQL's execution: the code's status, the endpoint's error shape. */
public final class Refusals {
    private Refusals() {
    }

    public static MutableHttpResponse<Map<String, Object>> respond(HttpRequest<?> request, ErrorCode code, String field, String message) {
        return respond(request, code, field, message, Map.of());
    }

    public static MutableHttpResponse<Map<String, Object>> respond(HttpRequest<?> request, ErrorCode code, String field, String message,
                                                                   Map<String, Object> more) {
        return HttpResponse.<Map<String, Object>>status(HttpStatus.valueOf(code.status()))
                .body(code.body(request.getPath(), field, message, more));
    }
}
