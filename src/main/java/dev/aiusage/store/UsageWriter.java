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
     * Inserts, in one transaction and one JDBC batch, the records whose requestId is neither stored already (in
     * {@code request_key} once folded, in {@link UnfoldedRequestIds} before; or, where the engine claims request
     * keys in the database, in {@code request_key} at once) nor taken by an earlier record of the same list. A batch in flight with the same requestId is waited for: its record counts as the stored one
     * if it commits, and this batch's if it rolls back.
     *
     * @return how many records were inserted
     */
    public int insertNew(List<UsageRecord> records) {
        engine.prepareAppend(records.stream().map(UsageRecord::ts).toList());
        UnfoldedRequestIds.Reservation reservation = folder.requestIds().reservation();
        int stored;
        try {
            stored = engine.ingesting(() -> {
                int n = transactions.executeWrite(status -> insert(records, reservation));
                // settled before the shared hold ends, so a fold that waits for ingest in flight finds it settled
                reservation.stored();
                return n;
            });
        } catch (RuntimeException e) {
            reservation.released();
            throw e;
        }
        folder.appended(stored);
        return stored;
    }

    private int insert(List<UsageRecord> records, UnfoldedRequestIds.Reservation reservation) {
        // a requestId is unique per team: the key is the pair
        List<String> keys = records.stream().filter(r -> r.requestId() != null)
                .map(r -> UnfoldedRequestIds.key(r.team(), r.requestId())).distinct().sorted().toList();
        Set<String> mine = new HashSet<>();
        if (engine.claimsRequestKeys()) {
            // the database holds every claimed key, folded or not, for every instance on it
            List<List<String>> pairs = keys.stream().map(k -> List.of(k.substring(0, k.indexOf('\u0000')), k.substring(k.indexOf('\u0000') + 1))).toList();
            engine.claimRequestKeys(pairs).forEach(pair -> mine.add(UnfoldedRequestIds.key(pair.get(0), pair.get(1))));
        } else {
            List<String> ids = records.stream().map(UsageRecord::requestId).filter(id -> id != null).distinct().toList();
            Set<String> folded = new HashSet<>(foldedRequestKeys(ids));
            for (String key : keys) {
                if (!folded.contains(key) && reservation.reserve(key)) {
                    mine.add(key);
                }
            }
        }
        List<UsageRecord> fresh = new ArrayList<>(records.size());
        for (UsageRecord record : records) {
            // remove: only the first record of the list with a key is stored
            if (record.requestId() == null || mine.remove(UnfoldedRequestIds.key(record.team(), record.requestId()))) {
                fresh.add(record);
            }
        }
        if (!fresh.isEmpty()) {
            if (engine.bulkLoads()) {
                engine.copyIn("usage_record", COLUMNS, fresh.stream().map(UsageWriter::row).toList());
            } else {
                repository.saveAll(fresh);
            }
        }
        return fresh.size();
    }

    /** The columns a bulk load fills, in the order of {@link #row}; the id comes from the table's identity. */
    private static final List<String> COLUMNS = List.of("ts", "provider", "model", "team", "user_name", "task_type", "workflow",
            "input_tokens", "output_tokens", "cost_usd", "latency_ms", "quality_score", "passed_quality", "request_id", "session_id",
            "prompt_template", "prompt_version", "prompt_chars", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens",
            "reasoning_tokens", "service_tier", "cost_source", "catalog_cost_usd", "price_ref", "cost_uncached_input_usd", "cost_cache_read_usd",
            "cost_cache_write_usd", "cost_output_usd", "cost_reasoning_usd");

    private static Object[] row(UsageRecord r) {
        return new Object[] {r.ts(), r.provider(), r.model(), r.team(), r.user(), r.taskType(), r.workflow(), r.inputTokens(),
                r.outputTokens(), r.costUsd(), r.latencyMs(), r.qualityScore(), r.passedQuality(), r.requestId(), r.sessionId(),
                r.promptTemplate(), r.promptVersion(), r.promptChars(), r.cacheReadTokens(), r.cacheWriteTokens(),
                r.cacheWrite1hTokens(), r.reasoningTokens(), r.serviceTier(), r.costSource(), r.catalogCostUsd(), r.priceRef(),
                r.costUncachedInputUsd(), r.costCacheReadUsd(), r.costCacheWriteUsd(), r.costOutputUsd(), r.costReasoningUsd()};
    }

    private List<String> foldedRequestKeys(List<String> ids) {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += LOOKUP_CHUNK) {
            for (UsageRecordRepository.RequestKey key : repository.findFoldedRequestKeys(ids.subList(i, Math.min(ids.size(), i + LOOKUP_CHUNK)))) {
                stored.add(UnfoldedRequestIds.key(key.team(), key.requestId()));
            }
        }
        return stored;
    }
}
