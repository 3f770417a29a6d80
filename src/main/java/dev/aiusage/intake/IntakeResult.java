package dev.aiusage.intake;

import dev.aiusage.ingest.RejectedUsage;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What one delivery from a source did: items {@code received}; calls {@code accepted} as usage; {@code duplicates}
 * (a call or failure stored before, or earlier in the delivery); {@code failed}: failed calls kept apart;
 * {@code ignored}: items that are not AI calls (a span of another kind); and each item refused, by its position in
 * the delivery, with the field at fault and why.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IntakeResult(int received, int accepted, int duplicates, int failed, int ignored, List<RejectedUsage> rejected) {
}
