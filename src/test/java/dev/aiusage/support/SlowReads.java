package dev.aiusage.support;

import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What makes a read slow on purpose: many records written straight into the records table (through the API this
 * would take half a minute; they stay above the fold watermark until folded), and a filter of 1,000 user names
 * that match none, so a page of records compares every record with every name.
 */
public final class SlowReads {
    /** 1,000 user names no record has. */
    public static final List<String> NOBODY = IntStream.range(0, 1000).mapToObj(i -> "nobody-" + i).toList();
    /** A page of one record filtered by {@code $f}: a full scan of the window with {@link #NOBODY}. */
    public static final String PAGE = "query ($f: UsageFilter) { usageRecords(days: 30, first: 1, filter: $f) { edges { cursor } } }";

    private SlowReads() {
    }

    /** {@code n} calls of {@code team} at $0.01 each, one a second from {@code daysAgo} days back. */
    public static void insert(TransactionOperations<Connection> transactions, String team, int n, int daysAgo) {
        transactions.executeWrite(status -> {
            try (Statement insert = status.getConnection().createStatement()) {
                return insert.executeUpdate("INSERT INTO usage_record (ts, provider, model, team, user_name, task_type, workflow, cost_usd) "
                        + "SELECT CURRENT_TIMESTAMP - INTERVAL '" + daysAgo + "' DAY + X * INTERVAL '1' SECOND, 'openai', 'gpt-4o', '"
                        + team + "', 'user-' || MOD(X, 50), 'summarize', 'digest', 0.01 FROM SYSTEM_RANGE(1, " + n + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
