package dev.aiusage.analysis;

import java.time.Instant;
import java.util.List;

/** A team's top users in {@code [from, to)}, by calls and by cost, against the team's totals. */
public record PowerUsers(String team, Instant from, Instant to, long teamCalls, double teamCost, List<PowerUser> byCalls,
                         List<PowerUser> byCost) {
}
