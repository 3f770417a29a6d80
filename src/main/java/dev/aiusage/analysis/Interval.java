package dev.aiusage.analysis;

/** An estimate with the bounds of its confidence interval. */
public record Interval(double estimate, double lower, double upper) {
}
