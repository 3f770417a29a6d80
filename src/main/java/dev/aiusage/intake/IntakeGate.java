package dev.aiusage.intake;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.concurrent.Semaphore;

/**
 * At most {@code aiusage.intake.concurrent-requests} intake deliveries (OTLP exports, LiteLLM batches, HTTP imports)
 * are decoded and stored at once; beyond that a sender is answered 429 with Retry-After (OTLP exporters and LiteLLM
 * retry it), so a burst of large deliveries can neither hold every blocking thread nor every decoded body in memory.
 */
@Singleton
public class IntakeGate {
    private final Semaphore permits;

    IntakeGate(@Value("${aiusage.intake.concurrent-requests:4}") int concurrent) {
        this.permits = new Semaphore(Math.max(1, concurrent));
    }

    /** A permit, or null when every one is taken; close it when done. */
    public Permit tryEnter() {
        if (!permits.tryAcquire()) {
            return null;
        }
        return permits::release;
    }

    /** A delivery's place in the intake, given back when closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
