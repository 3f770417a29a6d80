package dev.aiusage.intake;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.RecordUsageResult;
import dev.aiusage.ingest.RejectedUsage;
import dev.aiusage.ingest.UsageInput;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Takes a source's mapped items: calls go to {@link IngestService} in batches of at most {@link
 * IngestService#MAX_BATCH} (each one transaction; every call of every source has a request id, so a sender's retry
 * of a delivery cut short stores nothing twice), failures to {@link FailedCalls}, refusals are reported by position.
 */
@Singleton
public class IntakeService {
    private final IngestService ingest;
    private final FailedCalls failures;

    IntakeService(IngestService ingest, FailedCalls failures) {
        this.ingest = ingest;
        this.failures = failures;
    }

    /**
     * @param ignored items of the delivery that were not AI calls, counted in {@code received}
     * @param fieldNames a record field's name ({@code inputTokens}) as the source calls it, for the refusals ingest makes
     */
    public IntakeResult take(List<Candidate> items, int ignored, UnaryOperator<String> fieldNames) {
        List<UsageInput> calls = new ArrayList<>();
        List<Integer> callAt = new ArrayList<>();
        List<FailedCall> failed = new ArrayList<>();
        List<RejectedUsage> rejected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Candidate item = items.get(i);
            if (item instanceof Candidate.Call call) {
                calls.add(call.input());
                callAt.add(i);
            } else if (item instanceof Candidate.Failure failure) {
                try {
                    failed.add(FailedCalls.checked(failure.call()));
                } catch (BadInputException e) {
                    rejected.add(new RejectedUsage(i, failure.call().requestId(), e.field(), e.getMessage()));
                }
            } else if (item instanceof Candidate.Refused refused) {
                rejected.add(new RejectedUsage(i, refused.requestId(), refused.field(), refused.reason()));
            }
        }
        int accepted = 0;
        int duplicates = 0;
        for (int from = 0; from < calls.size(); from += IngestService.MAX_BATCH) {
            int to = Math.min(calls.size(), from + IngestService.MAX_BATCH);
            RecordUsageResult result = ingest.recordBatch(calls.subList(from, to));
            accepted += result.accepted();
            duplicates += result.duplicates();
            for (RejectedUsage r : result.rejected()) {
                rejected.add(new RejectedUsage(callAt.get(from + r.index()), r.requestId(), fieldNames.apply(r.field()), r.message()));
            }
        }
        int storedFailures = failures.record(failed);
        duplicates += failed.size() - storedFailures;
        rejected.sort(java.util.Comparator.comparingInt(RejectedUsage::index));
        return new IntakeResult(items.size() + ignored, accepted, duplicates, storedFailures, ignored, rejected);
    }
}
