package dev.aiusage.access;

/** What a key may do. */
public enum Role {
    /** Everything, including managing keys. */
    ADMIN,
    /** Write usage records, nothing else. */
    INGEST,
    /** Read the usage of one team. */
    TEAM,
    /** Read the usage of every team. */
    VIEWER
}
