package dev.aiusage.store;

/** What records can be grouped by, with the column that holds it. */
public enum Dimension {
    TEAM("team"),
    USER("user_name"),
    PROVIDER("provider"),
    MODEL("model"),
    WORKFLOW("workflow"),
    TASK_TYPE("task_type");

    final String column;

    Dimension(String column) {
        this.column = column;
    }
}
