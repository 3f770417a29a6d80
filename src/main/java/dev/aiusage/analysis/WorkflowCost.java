package dev.aiusage.analysis;

/** Spend of one workflow, task type and model combination in a window; {@code unpricedRequests} had no price. */
public record WorkflowCost(String workflow, String taskType, String model, double totalCost, long requests,
                           double avgCostPerCall, Double avgLatencyMs, Double avgQuality, Double passRate, long unpricedRequests) {
}
