package dev.aiusage.outbound;

/** Where the service sends things: the weekly report to Slack, tickets to Jira and ClickUp. */
public enum Destination {
    SLACK, JIRA, CLICKUP
}
