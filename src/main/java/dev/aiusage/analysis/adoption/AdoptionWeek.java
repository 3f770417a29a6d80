package dev.aiusage.analysis.adoption;

import java.time.Instant;
import java.util.List;

/** Usage by seniority in the week {@code [weekStart, weekEnd)}: per level, and seniors together. */
public record AdoptionWeek(Instant weekStart, Instant weekEnd, List<LevelWeek> levels, LevelWeek seniors) {
}
