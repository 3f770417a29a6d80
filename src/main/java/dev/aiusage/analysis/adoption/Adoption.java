package dev.aiusage.analysis.adoption;

import java.time.Instant;
import java.util.List;

/** Who is building and who is blocked in {@code [from, to)}. */
public record Adoption(Instant from, Instant to, double activeThreshold, List<PersonAdoption> people, List<StatusGroup> byStatus,
                       List<GroupAdoption> byLevel, List<GroupAdoption> byTenure, List<GroupAdoption> byTeam,
                       AccessFriction friction, SeniorsAtZero seniorsAtZero, List<Pairing> pairings,
                       List<PersonAdoption> unpaired) {
}
