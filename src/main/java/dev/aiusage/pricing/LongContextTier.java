package dev.aiusage.pricing;

/**
 * Prices for calls with more than {@code aboveInputTokens} input tokens (cache reads and writes included): a cliff,
 * as the providers bill it, so past the threshold every token of the call takes these rates, not only those above.
 */
public record LongContextTier(long aboveInputTokens, Rates rates) {
}
