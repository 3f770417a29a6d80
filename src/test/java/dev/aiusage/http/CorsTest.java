package dev.aiusage.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dashboard on another origin, as a browser talks to us: the preflight (no key) and the request itself, from an
 * allowed origin and from another; keys are required, so the preflight must be answered before the key check.
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.admin-key", value = CorsTest.ADMIN)
@Property(name = "aiusage.cors.enabled", value = "true")
@Property(name = "aiusage.cors.allowed-origins", value = "https://dash.example.com,http://localhost:5173")
class CorsTest {
    static final String ADMIN = "cors-admin-key-0123456789";
    static final String QUERY = "{\"query\":\"{ serviceInfo { records } }\"}";

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAllowedOriginsPreflightIsAnsweredWithoutAKey() throws Exception {
        HttpResponse<String> preflight = preflight("http://localhost:5173");
        assertEquals(200, preflight.statusCode(), preflight::body);
        assertEquals(Optional.of("http://localhost:5173"), preflight.headers().firstValue("Access-Control-Allow-Origin"));
        String allowed = String.join(",", preflight.headers().allValues("Access-Control-Allow-Headers")).toLowerCase();
        assertTrue(allowed.contains("authorization") && allowed.contains("content-type"), () -> "allowed headers: " + allowed);
        assertEquals(Optional.empty(), preflight.headers().firstValue("Access-Control-Allow-Credentials").filter("true"::equals));
    }

    @Test
    void anAllowedOriginReadsTheAnswerAndTheRefusal() throws Exception {
        HttpResponse<String> answer = post("https://dash.example.com", ADMIN);
        assertEquals(200, answer.statusCode(), answer::body);
        assertTrue(answer.body().contains("\"records\""), answer::body);
        assertEquals(Optional.of("https://dash.example.com"), answer.headers().firstValue("Access-Control-Allow-Origin"));
        // without a key: refused by the key check, with the CORS headers that let the page show why
        HttpResponse<String> refused = post("https://dash.example.com", null);
        assertEquals(401, refused.statusCode(), refused::body);
        assertTrue(refused.body().contains("UNAUTHENTICATED"), refused::body);
        assertEquals(Optional.of("https://dash.example.com"), refused.headers().firstValue("Access-Control-Allow-Origin"));
    }

    @Test
    void anotherOriginIsRefused() throws Exception {
        HttpResponse<String> preflight = preflight("https://evil.example.com");
        assertEquals(403, preflight.statusCode(), preflight::body);
        assertEquals(Optional.empty(), preflight.headers().firstValue("Access-Control-Allow-Origin"));
        // a look-alike of an allowed origin (another port) is another origin
        HttpResponse<String> post = post("https://dash.example.com:8443", ADMIN);
        assertEquals(403, post.statusCode(), post::body);
        assertEquals(Optional.empty(), post.headers().firstValue("Access-Control-Allow-Origin"));
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(uri()).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String origin, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString(QUERY))
                .header("Origin", origin).header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getPort() + "/graphql");
    }
}
