package dev.aiusage.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A half-open interval {@code [from, to)} of instants that every analytics query is asked over. */
public record TimeWindow(Instant from, Instant to) {
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3660;

    public TimeWindow {
        if (!from.isBefore(to)) {
            throw new BadInputException("from", "from must be before to (the window is [from, to))");
        }
        // every answer's size and work follow the span (a daily trend has a row per day): bounded before any work
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new BadInputException("from", "a window may span at most " + MAX_DAYS + " days; narrow from or to");
        }
    }

    /**
     * Resolves the arguments every analytics query takes: {@code from}/{@code to} override {@code days};
     * only {@code from} means up to now; only {@code to} means the {@code days} before it.
     */
    public static TimeWindow resolve(Integer days, OffsetDateTime from, OffsetDateTime to, Clock clock) {
        int d = checkDays(days == null ? 30 : days);
        Instant end = to != null ? to.toInstant() : clock.instant();
        Instant start = from != null ? from.toInstant() : end.minus(Duration.ofDays(d));
        return new TimeWindow(start, end);
    }

    /** Checks that an optional range is ordered: either bound may be missing. */
    public static void checkOrdered(Instant from, Instant to) {
        if (from != null && to != null) {
            new TimeWindow(from, to);
        }
    }

    public static int checkDays(int days) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new BadInputException("days", "days must be between " + MIN_DAYS + " and " + MAX_DAYS);
        }
        return days;
    }

    /** Length in days, fractional for windows that do not span whole days. */
    public double lengthInDays() {
        return Duration.between(from, to).toMillis() / 86_400_000.0;
    }
}
