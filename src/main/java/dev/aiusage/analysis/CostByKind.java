package dev.aiusage.analysis;

/**
 * Cost by kind of token, in US dollars: the catalog's parts of each catalog-priced call, a reported cost split in its
 * catalog price's proportions; {@code other} is what the kinds leave of the cost: per-call fees, reported costs the
 * catalog has no price to split by, and the rounding of splits (within 10⁻⁹ a call).
 */
public record CostByKind(double uncachedInput, double cacheRead, double cacheWrite, double output, double reasoning, double other) {
}
