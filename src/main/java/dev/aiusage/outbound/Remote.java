package dev.aiusage.outbound;

/** What a destination answered about a message it accepted: a ticket's key and link (both null for Slack). */
public record Remote(String key, String url) {
    public static final Remote NONE = new Remote(null, null);
}
