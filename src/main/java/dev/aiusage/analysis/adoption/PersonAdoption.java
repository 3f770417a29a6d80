package dev.aiusage.analysis.adoption;

import dev.aiusage.people.Level;

import java.time.LocalDate;

/**
 * One person's standing in the window. Directory fields are null for UNKNOWN users (usage, no entry);
 * {@code hasAccess} is null when nothing says either way; {@code daysWaiting} is set for BLOCKED people when
 * known: since the open request, the revocation, or the start date.
 */
public record PersonAdoption(String user, String displayName, String team, Level level, Integer tenureDays, String tenureBand,
                             AdoptionStatus status, long calls, double cost, Boolean hasAccess, BlockedReason blockedReason,
                             Double daysWaiting, LocalDate lastActiveDayBefore) {
}
