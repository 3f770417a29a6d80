package dev.aiusage.analysis.adoption;

/** Why a person without usage is counted as blocked rather than disengaged. */
public enum BlockedReason {
    /** Access was requested and not granted yet. */
    REQUEST_PENDING,
    /** No access was ever granted, and none is on record as requested. */
    NEVER_GRANTED,
    /** Access was granted and later revoked. */
    REVOKED
}
