package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;

/**
 * When a cheaper model counts as a substitute.
 *
 * @param minSamples     scored calls each model needs before its quality is trusted
 * @param maxQualityDiff the substitute's quality may be lower by less than this (a higher one always qualifies)
 * @param minCostRatio   the current model must cost more than this many times the substitute
 * @param confidence     the level of the intervals and 1 − the level of the non-inferiority test behind a verdict
 */
public record SubstitutionCriteria(int minSamples, double maxQualityDiff, double minCostRatio, double confidence) {
    public static final double DEFAULT_CONFIDENCE = 0.95;
    public static final SubstitutionCriteria DEFAULT = new SubstitutionCriteria(20, 0.05, 1.2, DEFAULT_CONFIDENCE);

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
        if (!Double.isFinite(confidence) || confidence < 0.5 || confidence > 0.9999) {
            throw new BadInputException("confidence", "confidence must be between 0.5 and 0.9999");
        }
    }
}
