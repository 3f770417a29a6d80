package dev.aiusage.store;

import java.time.ZoneId;

/**
 * Calendar buckets of a breakdown: {@code seconds} of 900 or 3,600 (quarter hours and hours of the zone's clock;
 * in a zone half an hour off UTC an hour starts at :30 UTC) or 86,400 (the zone's calendar days, 23 or 25 hours
 * long across a daylight-saving change). Weeks and months are unions of days, summed by the caller.
 */
public record Bucketing(ZoneId zone, long seconds) {
    public Bucketing {
        if (seconds != 900 && seconds != 3_600 && seconds != 86_400) {
            throw new IllegalArgumentException("bucket seconds: " + seconds);
        }
    }

    boolean days() {
        return seconds == 86_400;
    }
}
