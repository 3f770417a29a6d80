package dev.aiusage.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The simple questions about stored records, over both the indexed table and the unfolded tail; aggregation
 * lives in {@link UsageAggregates}. Writes go through {@link UsageWriter} (the tail) and {@link RollupFolder}.
 */
@JdbcRepository(dialect = Dialect.ANSI)
public interface UsageRecordRepository extends GenericRepository<UsageRecord, Long> {

    /** Which of these request ids are stored already, folded or not. */
    @Query("SELECT request_id FROM usage_record WHERE request_id IN (:requestIds) "
            + "UNION ALL SELECT request_id FROM usage_tail WHERE request_id IN (:requestIds)")
    List<String> findStoredRequestIds(Collection<String> requestIds);

    @Query("SELECT (SELECT COUNT(*) FROM usage_record) + (SELECT COUNT(*) FROM usage_tail)")
    long count();

    /** LEAST and GREATEST skip nulls, in H2 and PostgreSQL alike. */
    @Query("SELECT LEAST((SELECT MIN(ts) FROM usage_record), (SELECT MIN(ts) FROM usage_tail))")
    Optional<Instant> findMinTs();

    @Query("SELECT GREATEST((SELECT MAX(ts) FROM usage_record), (SELECT MAX(ts) FROM usage_tail))")
    Optional<Instant> findMaxTs();
}
