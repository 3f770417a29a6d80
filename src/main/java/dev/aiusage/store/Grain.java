package dev.aiusage.store;

import java.time.Instant;

/** The bucket sizes rollups are kept at, finest first. Buckets are aligned to the UTC epoch. */
enum Grain {
    QUARTER(0, 900),
    HOUR(1, 3_600),
    DAY(2, 86_400);

    final int code;
    final long seconds;

    Grain(int code, long seconds) {
        this.code = code;
        this.seconds = seconds;
    }

    /** The grain of buckets {@code seconds} long. */
    static Grain of(long seconds) {
        for (Grain grain : values()) {
            if (grain.seconds == seconds) {
                return grain;
            }
        }
        throw new IllegalArgumentException("no grain of " + seconds + " s");
    }

    /** Start of the bucket holding {@code t}. */
    Instant floor(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** Start of the first bucket that begins at or after {@code t}. */
    Instant ceil(Instant t) {
        Instant floor = floor(t);
        return floor.equals(t) ? t : floor.plusSeconds(seconds);
    }
}
