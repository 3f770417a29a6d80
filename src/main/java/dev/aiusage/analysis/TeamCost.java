package dev.aiusage.analysis;

/** Spend of one team in a window; {@code unpricedRequests} of its calls had no price (their cost counts 0). */
public record TeamCost(String team, double totalCost, long requests, long tokens, Double avgQuality, long unpricedRequests) {
}
