package dev.aiusage.intake;

import dev.aiusage.ingest.UsageInput;

/** One item of a sender's batch, mapped: a call to record, a failed call to keep apart, or a refusal. */
public sealed interface Candidate {
    /** A call to record as usage (validated and priced by ingest, which may still refuse it). */
    record Call(UsageInput input) implements Candidate {
    }

    /** A call that failed: kept in {@code failed_call}, never priced or counted as usage. */
    record Failure(FailedCall call) implements Candidate {
    }

    /** An item that maps to nothing storable: the field at fault (in the sender's terms) and why. */
    record Refused(String requestId, String field, String reason) implements Candidate {
    }
}
