package dev.aiusage.store;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Stores validated records, each requestId at most once. */
@Singleton
public class UsageWriter {
    /** Bound on the values of one IN list, well under what H2 and PostgreSQL accept. */
    private static final int LOOKUP_CHUNK = 1000;

    private final UsageRecordRepository repository;
    private final RollupWriter rollups;

    public UsageWriter(UsageRecordRepository repository, RollupWriter rollups) {
        this.repository = repository;
        this.rollups = rollups;
    }

    /**
     * Inserts, in one transaction, with one JDBC batch for the records and one per rollup cube, the records whose requestId is neither stored already
     * nor taken by an earlier record of the same list. A concurrent writer that commits the same requestId
     * first makes this transaction fail on the unique index and roll back whole; the caller retries.
     *
     * @return how many records were inserted
     */
    @Transactional
    public int insertNew(List<UsageRecord> records) {
        Set<String> taken = new HashSet<>(storedRequestIds(records));
        List<UsageRecord> fresh = new ArrayList<>(records.size());
        for (UsageRecord record : records) {
            if (record.requestId() == null || taken.add(record.requestId())) {
                fresh.add(record);
            }
        }
        if (!fresh.isEmpty()) {
            repository.saveAll(fresh);
            rollups.add(fresh);
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
