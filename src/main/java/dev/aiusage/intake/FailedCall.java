package dev.aiusage.intake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A call that failed, as its source reported it: {@code source} is {@code otlp}, {@code litellm} or {@code import};
 * {@code errorType} the sender's error class or code (an OTLP span's {@code error.type}, LiteLLM's error class).
 */
@MappedEntity(value = "failed_call", escape = false)
public record FailedCall(@Id @GeneratedValue @Nullable Long id, Instant ts, String source, String provider,
                         @Nullable String model, String team, @Nullable String userName, @Nullable String workflow,
                         @Nullable String taskType, @Nullable String requestId, @Nullable String errorType,
                         @Nullable Integer latencyMs) {
}
