package dev.aiusage.access;

import dev.aiusage.domain.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;
import java.util.Optional;

/**
 * Decides, once per request to the data endpoints, who is calling: the key in {@code Authorization: Bearer},
 * or open mode when no key is configured. A request without a valid key, when keys are configured, is
 * answered 401 here and reaches nothing. GraphiQL's page and assets hold no data and stay public, so a person
 * can open it and paste a key into its Headers tab. Runs in the security phase, after CORS (when configured), so
 * that a browser's preflight, which never carries a key, is answered there, and a refusal here still carries
 * the CORS headers the browser needs to show it.
 */
@ServerFilter({"/graphql", "/graphql/**", "/usage/**", "/people/**", "/v1/traces", "/ingest/**", "/import", "/import/**"})
public class AccessFilter implements Ordered {
    public static final String ATTRIBUTE = "aiusage.access";

    private final ApiKeyService keys;

    AccessFilter(ApiKeyService keys) {
        this.keys = keys;
    }

    /** Looks the key up in the database: on the blocking pool, never on the event loop. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        Optional<Access> access;
        if (header.isPresent()) {
            access = keys.fromAuthorization(header.get());
            if (access.isEmpty()) {
                return unauthenticated(request, "The API key is not valid (unknown or revoked); send Authorization: Bearer <key>.");
            }
        } else if (keys.keysRequired()) {
            return unauthenticated(request, "An API key is required: send Authorization: Bearer <key>.");
        } else {
            access = Optional.of(Access.OPEN);
        }
        request.setAttribute(ATTRIBUTE, access.get());
        return null;
    }

    private static HttpResponse<?> unauthenticated(HttpRequest<?> request, String message) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer")
                .body(ErrorCode.UNAUTHENTICATED.body(request.getPath(), null, message, Map.of()));
    }

    /** The caller of a request that passed this filter. */
    public static Access of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Access.class)
                .orElseThrow(() -> new ForbiddenException(null, "no access was decided for this request"));
    }

    /** In the security phase: after CORS, which answers a browser's preflight before any key is asked for. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
