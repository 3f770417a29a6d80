package dev.aiusage.store;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Usage on one calendar day of some time zone. */
public record DayStats(LocalDate day, BigDecimal cost, long requests, int activeTeams) {
}
