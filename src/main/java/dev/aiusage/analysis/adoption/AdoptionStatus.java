package dev.aiusage.analysis.adoption;

/** Where a person stands with the AI tools in a window; see the README for each meaning. */
public enum AdoptionStatus {
    ACTIVE, LOW, NOT_ENGAGED, BLOCKED, LAPSED, UNKNOWN
}
