package dev.aiusage.analysis;

import dev.aiusage.domain.Formats;

/**
 * A cheaper model as good as the one in use on a workflow and task type, by the point estimates, with what switching
 * saves, the statistics that say how sure that is, and the verdict they give.
 */
public record SubstitutionOpportunity(String workflow, String taskType, String currentModel, String betterModel,
                                      double qualityDiff, double costRatio, double estMonthlySavings,
                                      long currentRequests, long currentSamples, long betterSamples,
                                      SubstitutionStatistics statistics, Verdict verdict) {

    /**
     * The verdict and its evidence in a line, for reports and tickets: {@code RECOMMENDED at 95%: quality diff -0.031 to
     * +0.012, adjusted p 0.002, savings $120.00 to $180.00/mo}; a NEEDS_MORE_DATA line says how many scored calls would do.
     */
    public String evidence() {
        SubstitutionStatistics s = statistics;
        StringBuilder line = new StringBuilder(verdict.name()).append(" at ")
                .append(java.math.BigDecimal.valueOf(s.confidence()).movePointRight(2).stripTrailingZeros().toPlainString()).append("%")
                .append(": quality diff ").append(Formats.signedFine(s.qualityDiffLower())).append(" to ")
                .append(Formats.signedFine(s.qualityDiffUpper())).append(", adjusted p ").append(Formats.pValue(s.adjustedPValue()))
                .append(", savings ").append(Formats.cents(s.monthlySavingsLower())).append(" to ")
                .append(Formats.cents(s.monthlySavingsUpper())).append("/mo");
        if (s.samplesNeeded() != null) {
            line.append(", needs about ").append(Formats.count(s.samplesNeeded(), "scored call")).append(" per model");
        }
        return line.toString();
    }
}
