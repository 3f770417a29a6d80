package dev.aiusage.people;

import java.time.Instant;

/** Access to the AI tools was requested, granted or revoked for {@code user} at {@code at}. */
public record AccessEvent(String user, Kind kind, Instant at, String note) {
    public enum Kind {
        REQUESTED, GRANTED, REVOKED
    }
}
