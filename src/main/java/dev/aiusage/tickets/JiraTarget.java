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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Jira, through REST API v2: {@code POST {url}/rest/api/2/issue} with basic auth (user and API token). The
 * description is Jira wiki markup, which API v2 renders.
 */
@Singleton
@Requires(property = "aiusage.tickets.jira.url", pattern = ".+")
class JiraTarget implements TicketTarget {
    private final String base;
    private final String projectKey;
    private final String issueType;
    private final String token;
    private final String authorization;
    private final JsonMapper json;

    JiraTarget(@Value("${aiusage.tickets.jira.url}") String url,
               @Value("${aiusage.tickets.jira.project-key:}") String projectKey,
               @Value("${aiusage.tickets.jira.issue-type:Task}") String issueType,
               @Value("${aiusage.tickets.jira.user:}") String user,
               @Value("${aiusage.tickets.jira.token:}") String token, JsonMapper json) {
        this.base = TargetSettings.baseUrl("aiusage.tickets.jira.url", url);
        this.projectKey = TargetSettings.required("aiusage.tickets.jira.project-key", projectKey);
        this.issueType = TargetSettings.required("aiusage.tickets.jira.issue-type", issueType);
        this.token = TargetSettings.required("aiusage.tickets.jira.token", token);
        String login = TargetSettings.required("aiusage.tickets.jira.user", user) + ":" + this.token;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
        this.json = json;
    }

    @Override
    public Destination destination() {
        return Destination.JIRA;
    }

    @Override
    public String payload(TicketContent content) {
        // Jira wiki markup: "* " bullets, "*bold*"
        String description = content.description("* *%s:* %s");
        return TargetSettings.write(json, Map.of("fields", Map.of(
                "project", Map.of("key", projectKey),
                "issuetype", Map.of("name", issueType),
                "summary", content.summary(),
                "description", description,
                "labels", List.of("ai-usage-analytics", "model-substitution"))));
    }

    @Override
    public MutableHttpRequest<String> request(String payload) {
        return HttpRequest.POST(base + "/rest/api/2/issue", payload)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .accept(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.AUTHORIZATION, authorization);
    }

    /** Jira answers {@code {"id": "10000", "key": "AI-24", "self": ...}}; people want the browse link. */
    @Override
    public Remote remote(String responseBody) {
        Object key = TargetSettings.read(json, responseBody).get("key");
        return key == null ? Remote.NONE : new Remote(key.toString(), base + "/browse/" + key);
    }

    @Override
    public List<String> secrets() {
        return List.of(token, authorization.substring("Basic ".length()));
    }
}
