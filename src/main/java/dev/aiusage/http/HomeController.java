package dev.aiusage.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.net.URI;

/** {@code GET /} sends a person who opens the service's address in a browser to GraphiQL rather than a 404. */
@Controller
class HomeController {
    @Get
    HttpResponse<?> home() {
        return HttpResponse.seeOther(URI.create("/graphiql"));
    }
}
