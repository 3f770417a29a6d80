package dev.aiusage.analysis;

/**
 * The evidence behind one substitution: how sure the data are that the cheaper model is as good, and what
 * switching saves. See {@link Inference} for the methods.
 *
 * @param qualityDiffLower    lower bound of the two-sided Welch interval of d = avgQuality(current) − avgQuality(better)
 * @param qualityDiffUpper    its upper bound
 * @param confidence          the confidence level of every interval here, and 1 − the level of the test
 * @param pValue              the one-sided non-inferiority test of H₀: d ≥ maxQualityDiff
 * @param adjustedPValue      the same, Holm-adjusted over all the answer's pairs
 * @param samplesNeeded       scored calls per model at which the present d and variances would show it with 80%
 *                            power; null when recommended or when a model has fewer than two scored calls
 * @param passRateCurrent     the current model's pass rate with its Wilson interval; null without checked calls
 * @param passRateBetter      the same for the cheaper model
 * @param monthlySavingsLower lower bound of the monthly savings (the mean cost difference's Welch interval × volume)
 * @param monthlySavingsUpper its upper bound
 */
public record SubstitutionStatistics(double qualityDiffLower, double qualityDiffUpper, double confidence, double pValue,
                                     double adjustedPValue, Integer samplesNeeded, Interval passRateCurrent, Interval passRateBetter,
                                     double monthlySavingsLower, double monthlySavingsUpper) {
}
