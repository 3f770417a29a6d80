package dev.aiusage.store;

import java.sql.SQLException;

/** Recognises a unique-index violation (SQLSTATE 23505 on H2 and PostgreSQL) however deep it is wrapped. */
public final class UniqueViolation {
    private static final String SQLSTATE = "23505";

    private UniqueViolation() {
    }

    public static boolean causes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SQLSTATE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
