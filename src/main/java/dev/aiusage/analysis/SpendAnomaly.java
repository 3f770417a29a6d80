package dev.aiusage.analysis;

import java.time.LocalDate;

/**
 * A day whose spend of one team or workflow is far above its baseline, the 28 days before it.
 *
 * @param name           the team or workflow; null for calls sent without a workflow
 * @param baselineMedian the median of the 28 days' spend
 * @param baselineMad    their median absolute deviation from it
 * @param robustScore    (spend − median) / scale, the scale being max(1.4826 × MAD, 10% of the median); null when both are 0
 * @param excess         spend − median
 */
public record SpendAnomaly(LocalDate day, Dimension dimension, String name, double spend, double baselineMedian, double baselineMad,
                           Double robustScore, double excess) {

    /** What the spend is of. */
    public enum Dimension {
        TEAM, WORKFLOW
    }
}
