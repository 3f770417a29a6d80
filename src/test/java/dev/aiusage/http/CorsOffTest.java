package dev.aiusage.http;

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

/** Out of the box no other origin is answered: neither its preflight nor its request carries an allowing header. */
@MicronautTest(transactional = false)
class CorsOffTest {
    @Inject
    EmbeddedServer server;

    @Test
    void noOriginIsAllowedByDefault() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/graphql");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://dash.example.com").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.empty(), preflight.headers().firstValue("Access-Control-Allow-Origin"));
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ serviceInfo { records } }\"}"))
                .header("Origin", "https://dash.example.com").header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.empty(), post.headers().firstValue("Access-Control-Allow-Origin"));
    }
}
