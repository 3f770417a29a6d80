package dev.aiusage.analysis.adoption;

/** One level (or all seniors together, "SENIOR+") in one week: how many people, how many active, their calls. */
public record LevelWeek(String group, int people, int active, int withUsage, long calls, double activeShare) {
}
