package dev.aiusage.pricing;

/**
 * A call's tokens by kind, in the OpenTelemetry GenAI and genai-prices conventions: {@code input} is all input,
 * cache reads and writes included; {@code cacheWrite1h} is the part of {@code cacheWrite} kept for an hour;
 * {@code reasoning} is part of {@code output}. Validated before it gets here: no part exceeds its whole.
 */
public record TokenUsage(long input, long cacheRead, long cacheWrite, long cacheWrite1h, long output, long reasoning) {
    public static TokenUsage of(Integer input, Integer cacheRead, Integer cacheWrite, Integer cacheWrite1h, Integer output,
                                Integer reasoning) {
        return new TokenUsage(n(input), n(cacheRead), n(cacheWrite), n(cacheWrite1h), n(output), n(reasoning));
    }

    private static long n(Integer value) {
        return value == null ? 0 : value;
    }

    /** Input neither read from nor written to a cache. */
    public long uncachedInput() {
        return input - cacheRead - cacheWrite;
    }
}
