package dev.aiusage.analysis.adoption;

/**
 * How long access takes: days from request to grant over the grants made in the window (median and 90th
 * percentile, interpolated), and the requests still open at the window's end with the age of the oldest.
 */
public record AccessFriction(int grantsInWindow, Double medianDaysToGrant, Double p90DaysToGrant, int openRequests,
                             Double oldestOpenRequestDays, String oldestOpenRequestUser) {
}
