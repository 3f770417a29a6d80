package dev.aiusage.analysis;

/** A cheaper model as good as the one in use on a workflow and task type, with what switching saves. */
public record SubstitutionOpportunity(String workflow, String taskType, String currentModel, String betterModel,
                                      double qualityDiff, double costRatio, double estMonthlySavings,
                                      long currentRequests, long currentSamples, long betterSamples) {
}
