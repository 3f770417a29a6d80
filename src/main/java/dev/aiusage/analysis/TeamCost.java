package dev.aiusage.analysis;

/** Spend of one team in a window. */
public record TeamCost(String team, double totalCost, long requests, long tokens, Double avgQuality) {
}
