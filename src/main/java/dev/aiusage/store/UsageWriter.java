package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stores validated records, each requestId at most once. The acknowledged transaction only appends to
 * {@code usage_tail} (plus the request-id check): it touches the last pages of one small table, so a commit
 * writes little whatever order the records come in. {@link RollupFolder} moves the tail into the indexed
 * table and the rollups in large steps; every read sees the tail too, so answers are exact at every moment.
 */
@Singleton
public class UsageWriter {
    /** Bound on the values of one IN list, well under what H2 and PostgreSQL accept. */
    private static final int LOOKUP_CHUNK = 1000;
    static final String COLUMNS = "id, ts, provider, model, team, user_name, task_type, workflow, input_tokens, output_tokens, "
            + "cost_usd, latency_ms, quality_score, passed_quality, request_id, session_id, prompt_template, prompt_version, prompt_chars";
    private static final String INSERT = "INSERT INTO usage_tail (" + COLUMNS + ") VALUES ("
            + String.join(", ", java.util.Collections.nCopies(COLUMNS.split(", ").length, "?")) + ")";

    private final UsageRecordRepository repository;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final Engine engine;
    private final RollupFolder folder;

    public UsageWriter(UsageRecordRepository repository, JdbcOperations jdbc, TransactionOperations<Connection> transactions,
                       Engine engine, RollupFolder folder) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.engine = engine;
        this.folder = folder;
    }

    /**
     * Appends, in one transaction and one JDBC batch, the records whose requestId is neither stored already
     * nor taken by an earlier record of the same list. A concurrent writer that commits the same requestId
     * first makes this transaction fail on the tail's unique index and roll back whole; the caller retries.
     *
     * @return how many records were stored
     */
    public int insertNew(List<UsageRecord> records) {
        int stored = engine.ingesting(() -> transactions.executeWrite(status -> append(records)));
        folder.appended(stored);
        return stored;
    }

    private int append(List<UsageRecord> records) {
        Set<String> taken = new HashSet<>(storedRequestIds(records));
        List<UsageRecord> fresh = new ArrayList<>(records.size());
        for (UsageRecord record : records) {
            if (record.requestId() == null || taken.add(record.requestId())) {
                fresh.add(record);
            }
        }
        if (fresh.isEmpty()) {
            return 0;
        }
        long id = engine.allocateIds(fresh.size());
        long firstId = id;
        jdbc.prepareStatement(INSERT, statement -> {
            long next = firstId;
            for (UsageRecord r : fresh) {
                bind(statement, next++, r);
                statement.addBatch();
            }
            statement.executeBatch();
            return null;
        });
        return fresh.size();
    }

    private static void bind(PreparedStatement s, long id, UsageRecord r) throws SQLException {
        s.setLong(1, id);
        s.setObject(2, Where.utc(r.ts()));
        s.setString(3, r.provider());
        s.setString(4, r.model());
        s.setString(5, r.team());
        s.setString(6, r.user());
        s.setString(7, r.taskType());
        s.setString(8, r.workflow());
        s.setObject(9, r.inputTokens(), Types.INTEGER);
        s.setObject(10, r.outputTokens(), Types.INTEGER);
        s.setBigDecimal(11, r.costUsd());
        s.setObject(12, r.latencyMs(), Types.INTEGER);
        s.setBigDecimal(13, r.qualityScore());
        s.setObject(14, r.passedQuality(), Types.BOOLEAN);
        s.setString(15, r.requestId());
        s.setString(16, r.sessionId());
        s.setString(17, r.promptTemplate());
        s.setString(18, r.promptVersion());
        s.setObject(19, r.promptChars(), Types.INTEGER);
    }

    private List<String> storedRequestIds(List<UsageRecord> records) {
        List<String> ids = records.stream().map(UsageRecord::requestId).filter(id -> id != null).distinct().toList();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += LOOKUP_CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + LOOKUP_CHUNK));
            stored.addAll(repository.findStoredRequestIds(chunk));
        }
        return stored;
    }
}
