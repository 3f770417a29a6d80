package dev.aiusage.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;

/** Writes records and answers the simple questions about them; aggregation lives in {@link UsageAggregates}. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface UsageRecordRepository extends GenericRepository<UsageRecord, Long> {

    /** Inserts with one JDBC batch. */
    List<UsageRecord> saveAll(Iterable<UsageRecord> records);

    /** Which of these request ids belong to folded records (the others are in {@link UnfoldedRequestIds}). */
    @Query("SELECT request_id FROM request_key WHERE request_id IN (:requestIds)")
    List<String> findFoldedRequestIds(Collection<String> requestIds);

    long count();
}
