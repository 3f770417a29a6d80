package dev.aiusage.analysis;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** The calendar buckets of a breakdown, in the time zone asked for; weeks start on Monday. */
public enum Bucket {
    FIFTEEN_MINUTES(900),
    HOUR(3_600),
    DAY(86_400),
    WEEK(86_400),
    MONTH(86_400);

    /** The length of the slots the store sums: days for weeks and months, which are unions of days. */
    final long slotSeconds;

    Bucket(long slotSeconds) {
        this.slotSeconds = slotSeconds;
    }

    /** The first day of the bucket holding {@code day} (day buckets and coarser). */
    LocalDate startOf(LocalDate day) {
        return switch (this) {
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            default -> day;
        };
    }

    /** The first day of the bucket after the one starting on {@code start}. */
    LocalDate next(LocalDate start) {
        return switch (this) {
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            default -> start.plusDays(1);
        };
    }
}
