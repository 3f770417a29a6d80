package dev.aiusage.outbound;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * When to try a failed message again: after {@code initial-backoff}, doubling up to {@code max-backoff}, at most
 * {@code max-attempts} tries in all. A refusal that retrying cannot fix (4xx other than 408 and 429) is final.
 */
@Singleton
public class RetryPolicy {
    private final int maxAttempts;
    private final Duration initial;
    private final Duration max;

    public RetryPolicy(@Value("${aiusage.outbound.max-attempts:6}") int maxAttempts,
                       @Value("${aiusage.outbound.initial-backoff:1m}") Duration initial,
                       @Value("${aiusage.outbound.max-backoff:1h}") Duration max) {
        this.maxAttempts = maxAttempts;
        this.initial = initial;
        this.max = max;
    }

    /** The wait before the next try after {@code attempts} failed ones, or null when there is to be none. */
    public Duration backoff(int attempts, Integer httpStatus) {
        boolean permanent = httpStatus != null && httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 429;
        if (permanent || attempts >= maxAttempts) {
            return null;
        }
        Duration wait = initial.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
