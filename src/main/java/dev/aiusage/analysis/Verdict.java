package dev.aiusage.analysis;

/** Whether the data show a substitution to be as good, at the confidence asked for. */
public enum Verdict {
    /** Non-inferiority shown: the Holm-adjusted p-value is below 1 − confidence. */
    RECOMMENDED,
    /** Not shown yet: the point estimates qualify, the samples do not prove it. */
    NEEDS_MORE_DATA
}
