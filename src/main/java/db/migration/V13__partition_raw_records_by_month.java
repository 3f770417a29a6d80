package db.migration;

import dev.aiusage.store.engine.RawPartitions;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * On PostgreSQL, the raw records become a table partitioned by month of {@code ts} (declarative range
 * partitioning), so that retention drops a month at a time instead of deleting rows; nothing on H2, which has no
 * partitions. The key becomes {@code (id, ts)} (a partitioned table's keys must hold the partition column); ids
 * still come from one identity, carried on from the old table's highest. A partition per month is created by the
 * service before records of a new month are stored; a default partition takes whatever else arrives (a writer
 * other than the service), and retention deletes its rows one by one.
 *
 * <p>A Java migration, in Flyway's {@code db.migration} package, because its steps depend on the database and on
 * the months the existing records span.
 */
public class V13__partition_raw_records_by_month extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("ALTER TABLE usage_record RENAME TO usage_record_unpartitioned");
            sql.execute("ALTER TABLE usage_record_unpartitioned RENAME CONSTRAINT usage_record_pkey TO usage_record_unpartitioned_pkey");
            // the same columns, defaults, checks and identity; the key with the partition column
            sql.execute("CREATE TABLE usage_record (LIKE usage_record_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                    + "INCLUDING IDENTITY, PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts)");
            sql.execute("CREATE TABLE usage_record_default PARTITION OF usage_record DEFAULT");
            OffsetDateTime first = null;
            OffsetDateTime last = null;
            try (ResultSet span = sql.executeQuery("SELECT MIN(ts), MAX(ts) FROM usage_record_unpartitioned")) {
                if (span.next() && span.getObject(1) != null) {
                    first = span.getObject(1, OffsetDateTime.class);
                    last = span.getObject(2, OffsetDateTime.class);
                }
            }
            if (first != null) {
                YearMonth end = YearMonth.from(last.withOffsetSameInstant(ZoneOffset.UTC));
                for (YearMonth month = YearMonth.from(first.withOffsetSameInstant(ZoneOffset.UTC)); !month.isAfter(end); month = month.plusMonths(1)) {
                    sql.execute(RawPartitions.createStatement(month));
                }
            }
            sql.execute("INSERT INTO usage_record OVERRIDING SYSTEM VALUE SELECT id, ts, provider, model, team, user_name, task_type, "
                    + "workflow, input_tokens, output_tokens, cost_usd, latency_ms, quality_score, passed_quality, request_id, session_id, "
                    + "prompt_template, prompt_version, prompt_chars FROM usage_record_unpartitioned");
            sql.execute("DROP TABLE usage_record_unpartitioned");
            sql.execute("SELECT setval(pg_get_serial_sequence('usage_record', 'id'), COALESCE((SELECT MAX(id) FROM usage_record), 0) + 1, false)");
        }
    }
}
