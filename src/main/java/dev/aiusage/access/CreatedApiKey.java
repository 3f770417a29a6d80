package dev.aiusage.access;

/** A new key with its secret, which is shown this once and never stored. */
public record CreatedApiKey(ApiKey key, String secret) {
}
