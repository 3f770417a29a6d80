package dev.aiusage.store;

import dev.aiusage.store.engine.Engine;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stores validated records, each requestId at most once. The acknowledged transaction inserts the records and
 * nothing else; {@link RollupFolder} folds them into the rollups afterwards, in large steps, and every read adds
 * the records not folded yet, so answers are exact at every moment.
 */
@Singleton
public class UsageWriter {
    /** Bound on the values of one IN list, well under what H2 and PostgreSQL accept. */
    private static final int LOOKUP_CHUNK = 1000;

    private final UsageRecordRepository repository;
    private final TransactionOperations<Connection> transactions;
    private final Engine engine;
    private final RollupFolder folder;

    public UsageWriter(UsageRecordRepository repository, TransactionOperations<Connection> transactions, Engine engine,
                       RollupFolder folder) {
        this.repository = repository;
        this.transactions = transactions;
        this.engine = engine;
        this.folder = folder;
    }

    /**
     * Inserts, in one transaction and one JDBC batch, the records whose requestId is neither stored already
     * nor taken by an earlier record of the same list. A concurrent writer that commits the same requestId
     * first makes this transaction fail on the unique index and roll back whole; the caller retries.
     *
     * @return how many records were inserted
     */
    public int insertNew(List<UsageRecord> records) {
        int stored = engine.ingesting(() -> transactions.executeWrite(status -> insert(records)));
        folder.appended(stored);
        return stored;
    }

    private int insert(List<UsageRecord> records) {
        Set<String> taken = new HashSet<>(storedRequestIds(records));
        List<UsageRecord> fresh = new ArrayList<>(records.size());
        for (UsageRecord record : records) {
            if (record.requestId() == null || taken.add(record.requestId())) {
                fresh.add(record);
            }
        }
        if (!fresh.isEmpty()) {
            repository.saveAll(fresh);
        }
        return fresh.size();
    }

    private List<String> storedRequestIds(List<UsageRecord> records) {
        List<String> ids = records.stream().map(UsageRecord::requestId).filter(id -> id != null).distinct().toList();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += LOOKUP_CHUNK) {
            stored.addAll(repository.findRequestIdByRequestIdInList(ids.subList(i, Math.min(ids.size(), i + LOOKUP_CHUNK))));
        }
        return stored;
    }
}
