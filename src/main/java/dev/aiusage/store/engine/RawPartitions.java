package dev.aiusage.store.engine;

import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The monthly partitions of the raw records on PostgreSQL: one per calendar month (UTC) of {@code ts}, named
 * {@code usage_record_yYYYYmMM}, bounds from the first instant of the month to the first of the next.
 */
public final class RawPartitions {
    private RawPartitions() {
    }

    public static String name(YearMonth month) {
        return String.format("usage_record_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    static String bounds(YearMonth month) {
        return "FROM ('" + month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC) + "') TO ('"
                + month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC) + "')";
    }

    /** The statement that creates the month's partition in place (for the migration, which may lock the table). */
    public static String createStatement(YearMonth month) {
        return "CREATE TABLE " + name(month) + " PARTITION OF usage_record FOR VALUES " + bounds(month);
    }
}
