package dev.aiusage.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A stored API key: its digest, never its secret. */
@MappedEntity(value = "api_key", escape = false)
public record ApiKey(@Id @GeneratedValue @Nullable Long id, String name, Role role, @Nullable String team,
                     String keyHash, String prefix, Instant createdAt, @Nullable Instant revokedAt) {
}
