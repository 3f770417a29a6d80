package dev.aiusage.http;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /} sends a person who opens the service's address in a browser to the dashboard, and
 * {@code GET /dashboard} is the page: static, holding no data (it asks the GraphQL API with the key pasted into
 * it), so it is public like GraphiQL's.
 */
@Controller
class HomeController {
    private final byte[] dashboard;

    HomeController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream("classpath:dashboard/index.html")
                .orElseThrow(() -> new IllegalStateException("dashboard/index.html is missing from the jar"))) {
            dashboard = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get
    HttpResponse<?> home() {
        return HttpResponse.seeOther(URI.create("/dashboard"));
    }

    @Get(value = "/dashboard", produces = MediaType.TEXT_HTML)
    HttpResponse<String> dashboard() {
        return HttpResponse.ok(new String(dashboard, StandardCharsets.UTF_8)).contentType(MediaType.TEXT_HTML + ";charset=utf-8");
    }
}
