package dev.aiusage.budget;

import java.time.LocalDate;
import java.time.temporal.IsoFields;

/** A budget's calendar period, in its time zone. */
public enum Period {
    MONTH {
        @Override
        LocalDate start(LocalDate day) {
            return day.withDayOfMonth(1);
        }

        @Override
        LocalDate end(LocalDate day) {
            return start(day).plusMonths(1);
        }
    },
    QUARTER {
        @Override
        LocalDate start(LocalDate day) {
            return day.with(IsoFields.DAY_OF_QUARTER, 1);
        }

        @Override
        LocalDate end(LocalDate day) {
            return start(day).plusMonths(3);
        }
    };

    /** The first day of the period that holds {@code day}. */
    abstract LocalDate start(LocalDate day);

    /** The first day after it. */
    abstract LocalDate end(LocalDate day);
}
