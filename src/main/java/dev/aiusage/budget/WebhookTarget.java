package dev.aiusage.budget;

import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.OutboundTarget;
import dev.aiusage.outbound.Remote;
import dev.aiusage.outbound.TargetSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * A generic JSON webhook for alerts (PagerDuty, Opsgenie, an internal bus): each alert POSTed as one JSON object,
 * with {@code Authorization: Bearer <token>} when a token is set. URL and token are masked wherever an error could
 * show them.
 */
@Singleton
@Requires(property = AlertService.WEBHOOK_SETTING, pattern = ".+")
class WebhookTarget implements OutboundTarget {
    private final String url;
    private final String token;

    WebhookTarget(@Value("${" + AlertService.WEBHOOK_SETTING + "}") String url,
                  @Nullable @Value("${aiusage.alerts.webhook.token:}") String token) {
        this.url = TargetSettings.httpUrl(AlertService.WEBHOOK_SETTING, url).toString();
        this.token = token == null || token.isBlank() ? null : token;
    }

    @Override
    public Destination destination() {
        return Destination.WEBHOOK;
    }

    @Override
    public MutableHttpRequest<String> request(String payload) {
        MutableHttpRequest<String> request = HttpRequest.POST(url, payload).contentType(MediaType.APPLICATION_JSON_TYPE);
        return token == null ? request : request.bearerAuth(token);
    }

    @Override
    public Remote remote(String responseBody) {
        return Remote.NONE;
    }

    @Override
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(url));
        if (token != null) {
            secrets.add(token);
        }
        return secrets;
    }
}
