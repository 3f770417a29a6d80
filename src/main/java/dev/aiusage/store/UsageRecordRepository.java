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

    /**
     * The folded records' keys among these request ids, of any team (the caller keeps its team's); the records
     * not folded yet are in {@link UnfoldedRequestIds}.
     */
    @Query("SELECT team, request_id FROM request_key WHERE request_id IN (:requestIds)")
    List<RequestKey> findFoldedRequestKeys(Collection<String> requestIds);

    /** A folded record's idempotency key. */
    @io.micronaut.core.annotation.Introspected
    record RequestKey(String team, String requestId) {
    }

    long count();
}
