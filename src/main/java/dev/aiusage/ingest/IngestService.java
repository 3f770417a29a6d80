package dev.aiusage.ingest;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.pricing.PriceCatalog;
import dev.aiusage.pricing.Quote;
import dev.aiusage.store.UsageRecord;
import dev.aiusage.store.UsageWriter;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The front door for usage records: validates, prices from the catalog (a reported cost is kept, the catalog's
 * figure beside it), deduplicates by requestId, and stores in one transaction.
 */
@Singleton
public class IngestService {
    public static final int MAX_BATCH = 5000;

    private final UsageWriter writer;
    private final PriceCatalog prices;
    private final Clock clock;

    public IngestService(UsageWriter writer, PriceCatalog prices, Clock clock) {
        this.writer = writer;
        this.prices = prices;
        this.clock = clock;
    }

    /** Stores one record; an invalid one is refused with a {@link BadInputException} and nothing is stored. */
    /**
     * What the catalog says a call would cost, the call checked as {@code recordUsage} checks it (the fetcher fills
     * in team and task type, which a quote does not need).
     */
    public Quote quote(UsageInput call) {
        UsageRecord record = UsageValidator.validate(call, clock.instant());
        return prices.quote(record);
    }

    public RecordUsageResult recordOne(UsageInput input) {
        UsageRecord record = prices.apply(UsageValidator.validate(input, clock.instant()));
        int accepted = insert(List.of(record));
        return new RecordUsageResult(accepted, 1 - accepted, List.of());
    }

    /**
     * Stores every valid record of the batch and reports each invalid one by index; a batch over
     * {@value #MAX_BATCH} records is refused whole.
     */
    public RecordUsageResult recordBatch(List<UsageInput> inputs) {
        if (inputs.size() > MAX_BATCH) {
            throw new BadInputException("inputs", "a batch holds at most " + MAX_BATCH + " records (got " + inputs.size() + ")");
        }
        Instant now = clock.instant();
        List<UsageRecord> valid = new ArrayList<>(inputs.size());
        List<RejectedUsage> rejected = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            UsageInput input = inputs.get(i);
            try {
                valid.add(prices.apply(UsageValidator.validate(input, now)));
            } catch (BadInputException e) {
                rejected.add(new RejectedUsage(i, input.requestId(), e.field(), e.getMessage()));
            }
        }
        int accepted = valid.isEmpty() ? 0 : insert(valid);
        return new RecordUsageResult(accepted, valid.size() - accepted, rejected);
    }

    private int insert(List<UsageRecord> records) {
        return writer.insertNew(records);
    }
}
