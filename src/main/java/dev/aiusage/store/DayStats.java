package dev.aiusage.store;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Usage on one calendar day of some time zone; {@code unpriced} of its calls had no price (cost 0). */
public record DayStats(LocalDate day, BigDecimal cost, long requests, int activeTeams, long unpriced) {
}
