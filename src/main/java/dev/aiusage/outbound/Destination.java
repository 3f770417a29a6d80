package dev.aiusage.outbound;

/**
 * Where the service sends things: the weekly report and alerts to Slack, tickets to Jira and ClickUp, alerts as JSON
 * to a generic webhook.
 */
public enum Destination {
    SLACK, JIRA, CLICKUP, WEBHOOK
}
