package dev.aiusage.intake;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The failed calls, and their counts by source, provider, model, team and error. */
@JdbcRepository(dialect = Dialect.ANSI)
interface FailedCallRepository extends CrudRepository<FailedCall, Long> {
    /** The stored failures among these request ids, of any team (the caller keeps its teams'). */
    @Query("SELECT team, request_id FROM failed_call WHERE request_id IN (:requestIds)")
    List<Key> findKeys(Collection<String> requestIds);

    @Query("""
            SELECT source, provider, model, team, error_type, COUNT(*) AS calls, MIN(ts) AS first_seen, MAX(ts) AS last_seen
            FROM failed_call WHERE ts >= :from AND ts < :to
            GROUP BY source, provider, model, team, error_type ORDER BY calls DESC, team, provider, model LIMIT 1000""")
    List<FailedCallGroup> groups(Instant from, Instant to);

    @Query("""
            SELECT source, provider, model, team, error_type, COUNT(*) AS calls, MIN(ts) AS first_seen, MAX(ts) AS last_seen
            FROM failed_call WHERE ts >= :from AND ts < :to AND team = :team
            GROUP BY source, provider, model, team, error_type ORDER BY calls DESC, team, provider, model LIMIT 1000""")
    List<FailedCallGroup> groupsOfTeam(Instant from, Instant to, String team);

    @Introspected
    record Key(String team, String requestId) {
    }
}
