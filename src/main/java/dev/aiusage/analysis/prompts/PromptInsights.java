package dev.aiusage.analysis.prompts;

import java.time.Instant;
import java.util.List;

/** Prompt length and structure against quality and cost, in {@code [from, to)}. */
public record PromptInsights(Instant from, Instant to, List<Group> groups, List<TemplateChange> templateChanges) {

    /** Calls of one input-size band. */
    public record Band(String band, long calls, double avgCost, long scoredCalls, Double avgQuality) {
    }

    /** One workflow, task type and template (null: calls without one), by band, with Pearson's r of input tokens. */
    public record Group(String workflow, String taskType, String template, long calls, List<Band> bands,
                        Double tokensQualityCorrelation, long tokensQualitySamples,
                        Double tokensCostCorrelation, long tokensCostSamples) {
    }

    /** One version of a template on a workflow and task type. */
    public record Version(String version, long calls, long scoredCalls, Double avgQuality, double avgCost, Double avgPromptChars,
                          Instant firstSeen) {
    }

    /** A newer version against the one before it (by first seen in the window). */
    public record TemplateChange(String workflow, String taskType, String template, Version fromVersion, Version toVersion,
                                 Double qualityChange, double costChange, Double costChangeShare) {
    }
}
