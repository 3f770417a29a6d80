package dev.aiusage.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GraphiQL must work on a machine without internet access: every asset it loads comes from this service. */
@MicronautTest(transactional = false)
class GraphiQLTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Test
    void servesThePageAndEveryAssetFromTheJar() {
        String page = client.toBlocking().retrieve("/graphiql");
        assertFalse(page.contains("http://") || page.contains("https://"), "the page must not load anything from the internet");
        assertTrue(page.contains("'/graphql'"), "the page queries this service's /graphql");
        List<String> assets = new ArrayList<>();
        Matcher m = ASSET.matcher(page);
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertEquals(4, assets.size(), () -> "React, ReactDOM, GraphiQL's script and stylesheet: " + assets);
        for (String asset : assets) {
            HttpResponse<byte[]> response = client.toBlocking().exchange(HttpRequest.GET(asset), byte[].class);
            assertEquals(200, response.getStatus().getCode(), asset);
            assertTrue(response.body().length > 10_000, () -> asset + " is suspiciously small");
        }
    }

    @Test
    void theServicesAddressLeadsToTheDashboardWhichLinksGraphiQL() throws Exception {
        java.net.http.HttpResponse<String> home = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(303, home.statusCode());
        assertEquals(java.util.Optional.of("/dashboard"), home.headers().firstValue("Location"));
        // a browser (or this client, which follows redirects) ends on the page, which links GraphiQL
        String page = client.toBlocking().retrieve("/");
        assertTrue(page.contains("href=\"/graphiql\""), "GET / ends on the dashboard, which links GraphiQL");
        // its chart library is served from the jar
        var script = client.toBlocking().exchange("/webjars/echarts/5.3.1/dist/echarts.min.js", byte[].class);
        assertEquals(200, script.getStatus().getCode());
        assertTrue(script.body().length > 500_000, "echarts.min.js");
    }
}
