package dev.aiusage.analysis.adoption;

/** Counts per status of one level, tenure band or team, and the share of its people who are ACTIVE. */
public record GroupAdoption(String key, int people, int active, int low, int notEngaged, int blocked, int lapsed, int unknown,
                            double activeShare) {
}
