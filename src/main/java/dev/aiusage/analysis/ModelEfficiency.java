package dev.aiusage.analysis;

/** Quality against cost of one model over the scored calls of a window. */
public record ModelEfficiency(String model, double totalCost, double avgCost, Double avgLatencyMs,
                              double avgQuality, long requests) {
}
