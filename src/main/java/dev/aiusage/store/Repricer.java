package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Prices stored records again and keeps the rollups exact: folds what is waiting, then, in one transaction while no
 * fold runs (as a rebuild does), reads the folded records of the range in time order, a chunk at a time, writes each
 * changed record's cost, source, catalog figure and price, and takes each changed record's old figures out of the
 * rollups and adds its new ones. A failure leaves records and rollups as they were; ingest goes on meanwhile (its
 * records are priced by the catalog as it is when they arrive).
 */
@Singleton
public class Repricer {
    private static final int CHUNK = 5000;

    private final JdbcOperations jdbc;
    private final Engine engine;
    private final RollupFolder folder;
    private final RollupWriter rollups;
    private final UsageIndexes index;
    private final RawHorizon horizon;

    Repricer(JdbcOperations jdbc, Engine engine, RollupFolder folder, RollupWriter rollups, UsageIndexes index, RawHorizon horizon) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.folder = folder;
        this.rollups = rollups;
        this.index = index;
        this.horizon = horizon;
    }

    /** What a repricing did. */
    public record Result(long examined, long changed, long stillUnpriced, BigDecimal costBefore, BigDecimal costAfter) {
    }

    /**
     * Records with {@code from <= ts < to} priced by {@code price} (which returns the record as it should be stored).
     * Refuses a range that starts before the raw retention horizon ({@code OUTSIDE_RETENTION} on {@code field}).
     */
    public Result reprice(Instant from, Instant to, String field, UnaryOperator<UsageRecord> price) {
        horizon.require(from, field);
        folder.foldAll();
        return folder.withoutFolds(() -> {
            Result result = folder.writeAlone(() -> {
                engine.beginFold();
                return repriceFolded(from, to, price);
            });
            if (result.changed() > 0) {
                index.reset();
            }
            return result;
        });
    }

    private Result repriceFolded(Instant from, Instant to, UnaryOperator<UsageRecord> price) {
        long examined = 0;
        long changed = 0;
        long unpriced = 0;
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
        Instant afterTs = null;
        long afterId = 0;
        while (true) {
            List<UsageRecord> chunk = chunk(from, to, afterTs, afterId);
            if (chunk.isEmpty()) {
                break;
            }
            afterTs = chunk.get(chunk.size() - 1).ts();
            afterId = chunk.get(chunk.size() - 1).id();
            List<UsageRecord> old = new ArrayList<>();
            List<UsageRecord> priced = new ArrayList<>();
            List<UsageRecord> rewritten = new ArrayList<>();
            for (UsageRecord record : chunk) {
                UsageRecord now = price.apply(record);
                examined++;
                before = before.add(record.costUsd());
                after = after.add(now.costUsd());
                if (now.unpriced()) {
                    unpriced++;
                }
                boolean figures = record.costUsd().compareTo(now.costUsd()) != 0 || record.costSource() != now.costSource()
                        || !sameSplit(record.split(), now.split());
                if (figures) {
                    old.add(record);
                    priced.add(now);
                }
                if (figures || !sameDecimal(record.catalogCostUsd(), now.catalogCostUsd()) || !Objects.equals(record.priceRef(), now.priceRef())) {
                    rewritten.add(now);
                }
            }
            write(rewritten);
            if (!old.isEmpty()) {
                rollups.replace(old, priced);
            }
            changed += rewritten.size();
        }
        return new Result(examined, changed, unpriced, before, after);
    }

    private static boolean sameSplit(UsageRecord.CostSplit a, UsageRecord.CostSplit b) {
        return a == null ? b == null : b != null && sameDecimal(a.uncachedInput(), b.uncachedInput()) && sameDecimal(a.cacheRead(), b.cacheRead())
                && sameDecimal(a.cacheWrite(), b.cacheWrite()) && sameDecimal(a.output(), b.output()) && sameDecimal(a.reasoning(), b.reasoning());
    }

    private static boolean sameDecimal(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /** The next folded records of the range after {@code (afterTs, afterId)} in time order, by the time table. */
    private List<UsageRecord> chunk(Instant from, Instant to, Instant afterTs, long afterId) {
        Where where = Where.folded(from, to, dev.aiusage.domain.UsageFilter.NONE);
        if (afterTs != null) {
            where.and("(at > ? OR (at = ? AND record_id > ?))", Where.utc(afterTs), Where.utc(afterTs), afterId);
        }
        String sql = "SELECT " + UsageAggregates.RECORD_COLUMNS + engine.recordsInTimeOrder() + where.sql()
                + " ORDER BY at, record_id LIMIT " + CHUNK;
        return jdbc.prepareStatement(sql, statement -> {
            where.bind(statement, 1);
            try (var rs = statement.executeQuery()) {
                return RecordRows.read(rs);
            }
        });
    }

    /** The priced columns of each record, by its primary key (and time, which PostgreSQL's partitions are by). */
    private void write(List<UsageRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("UPDATE usage_record SET cost_usd = ?, cost_source = ?, catalog_cost_usd = ?, price_ref = ?, "
                        + "cost_uncached_input_usd = ?, cost_cache_read_usd = ?, cost_cache_write_usd = ?, cost_output_usd = ?, "
                        + "cost_reasoning_usd = ? WHERE id = ? AND ts = ?",
                statement -> {
                    for (UsageRecord r : records) {
                        statement.setBigDecimal(1, r.costUsd());
                        statement.setShort(2, r.costSource());
                        decimal(statement, 3, r.catalogCostUsd());
                        statement.setString(4, r.priceRef());
                        decimal(statement, 5, r.costUncachedInputUsd());
                        decimal(statement, 6, r.costCacheReadUsd());
                        decimal(statement, 7, r.costCacheWriteUsd());
                        decimal(statement, 8, r.costOutputUsd());
                        decimal(statement, 9, r.costReasoningUsd());
                        statement.setLong(10, r.id());
                        statement.setObject(11, Where.utc(r.ts()));
                        statement.addBatch();
                    }
                    return statement.executeBatch();
                });
    }

    private static void decimal(java.sql.PreparedStatement statement, int index, BigDecimal value) throws java.sql.SQLException {
        if (value == null) {
            statement.setNull(index, Types.DECIMAL);
        } else {
            statement.setBigDecimal(index, value);
        }
    }
}
