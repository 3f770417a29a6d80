package dev.aiusage.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Writes records and answers the simple questions about them; aggregation lives in {@link UsageAggregates}. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface UsageRecordRepository extends GenericRepository<UsageRecord, Long> {

    /** Inserts with one JDBC batch. */
    List<UsageRecord> saveAll(Iterable<UsageRecord> records);

    /** Which of these request ids are stored already. */
    List<String> findRequestIdByRequestIdInList(Collection<String> requestIds);

    long count();

    Optional<Instant> findMinTs();

    Optional<Instant> findMaxTs();
}
