package dev.aiusage.report;

import dev.aiusage.outbound.Destination;
import dev.aiusage.outbound.OutboundTarget;
import dev.aiusage.outbound.Remote;
import dev.aiusage.outbound.TargetSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;

/** A Slack incoming webhook. Its URL is the credential: it is masked wherever an error could show it. */
@Singleton
@Requires(property = "aiusage.report.slack.webhook-url", pattern = ".+")
class SlackTarget implements OutboundTarget {
    private final String webhookUrl;
    private final String path;

    SlackTarget(@Value("${aiusage.report.slack.webhook-url}") String webhookUrl) {
        URI uri = TargetSettings.httpUrl(ReportDeliveryService.WEBHOOK_SETTING, webhookUrl);
        this.webhookUrl = uri.toString();
        this.path = uri.getRawPath();
    }

    @Override
    public Destination destination() {
        return Destination.SLACK;
    }

    @Override
    public MutableHttpRequest<String> request(String payload) {
        return HttpRequest.POST(webhookUrl, payload).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Override
    public Remote remote(String responseBody) {
        return Remote.NONE;
    }

    @Override
    public List<String> secrets() {
        // the path is the credential (https://hooks.slack.com/services/T…/B…/token); its last part is the token
        String token = path.substring(path.lastIndexOf('/') + 1);
        return List.of(webhookUrl, path, token);
    }
}
