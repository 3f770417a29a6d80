package dev.aiusage.graphql;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.Map;

/**
 * The request media types of GraphQL over HTTP: a POST body must be {@code application/json} (or
 * {@code application/graphql}); anything else is HTTP 415 ({@code UNSUPPORTED_MEDIA_TYPE}), naming
 * {@code Content-Type}, rather than the framework's 422 without a code.
 */
@ServerFilter({"/graphql"})
class GraphQLMediaTypes implements Ordered {
    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.POST) {
            MediaType type = request.getContentType().orElse(null);
            if (type == null || !(type.getName().equals(MediaType.APPLICATION_JSON) || type.getName().equals("application/graphql"))) {
                return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(ErrorCode.UNSUPPORTED_MEDIA_TYPE.body(request.getPath(),
                        "Content-Type", "Send the request as application/json: {\"query\": ..., \"variables\": {...}, \"operationName\": ...}.",
                        Map.of()));
            }
        }
        return null;
    }

    /** In the security phase: after CORS, which answers a browser's preflight before any key is asked for. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
