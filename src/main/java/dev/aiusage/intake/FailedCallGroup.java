package dev.aiusage.intake;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** Failed calls of one source, provider, model, team and error type in a window. */
@Introspected
public record FailedCallGroup(String source, String provider, @Nullable String model, String team, @Nullable String errorType,
                              long calls, Instant firstSeen, Instant lastSeen) {
}
