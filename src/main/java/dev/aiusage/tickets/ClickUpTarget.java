package dev.aiusage.tickets;

import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.Remote;
import dev.aiusage.outbound.TargetSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/** ClickUp, through API v2: {@code POST {url}/api/v2/list/{list_id}/task} with the token in {@code Authorization}. */
@Singleton
@Requires(property = "aiusage.tickets.clickup.list-id", pattern = ".+")
class ClickUpTarget implements TicketTarget {
    private final String base;
    private final String listId;
    private final String token;
    private final JsonMapper json;

    ClickUpTarget(@Value("${aiusage.tickets.clickup.url:https://api.clickup.com}") String url,
                  @Value("${aiusage.tickets.clickup.list-id}") String listId,
                  @Value("${aiusage.tickets.clickup.token:}") String token, JsonMapper json) {
        this.base = TargetSettings.baseUrl("aiusage.tickets.clickup.url", url);
        this.listId = TargetSettings.pathSegment("aiusage.tickets.clickup.list-id", listId);
        this.token = TargetSettings.required("aiusage.tickets.clickup.token", token);
        this.json = json;
    }

    @Override
    public Destination destination() {
        return Destination.CLICKUP;
    }

    @Override
    public String payload(TicketContent content) {
        String description = content.description("- **%s:** %s");
        return TargetSettings.write(json, Map.of(
                "name", content.summary(),
                "markdown_description", description,
                "tags", List.of("ai-usage-analytics", "model-substitution")));
    }

    @Override
    public MutableHttpRequest<String> request(String payload) {
        return HttpRequest.POST(base + "/api/v2/list/" + listId + "/task", payload)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .accept(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.AUTHORIZATION, token);
    }

    /** ClickUp answers the task, with {@code id} and {@code url}. */
    @Override
    public Remote remote(String responseBody) {
        Map<String, Object> task = TargetSettings.read(json, responseBody);
        Object id = task.get("id");
        Object url = task.get("url");
        return new Remote(id == null ? null : id.toString(), url == null ? null : url.toString());
    }

    @Override
    public List<String> secrets() {
        return List.of(token);
    }
}
