package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;

/**
 * When a cheaper model counts as a substitute.
 *
 * @param minSamples     scored calls each model needs before its quality is trusted
 * @param maxQualityDiff the substitute's quality may be lower by less than this (a higher one always qualifies)
 * @param minCostRatio   the current model must cost more than this many times the substitute
 */
public record SubstitutionCriteria(int minSamples, double maxQualityDiff, double minCostRatio) {
    public static final SubstitutionCriteria DEFAULT = new SubstitutionCriteria(20, 0.05, 1.2);

    public SubstitutionCriteria {
        if (minSamples < 1) {
            throw new BadInputException("minSamples", "minSamples must be at least 1");
        }
        if (!Double.isFinite(maxQualityDiff) || maxQualityDiff < -1 || maxQualityDiff > 1) {
            throw new BadInputException("maxQualityDiff", "maxQualityDiff must be between -1 and 1");
        }
        if (!Double.isFinite(minCostRatio) || minCostRatio < 1 || minCostRatio > 1_000_000) {
            throw new BadInputException("minCostRatio", "minCostRatio must be between 1 and 1000000");
        }
    }
}
