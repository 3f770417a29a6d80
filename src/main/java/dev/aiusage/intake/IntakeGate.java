package dev.aiusage.intake;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.concurrent.Semaphore;

/**
 * At most {@code aiusage.intake.concurrent-requests} intake deliveries (OTLP exports, LiteLLM batches) are decoded
 * and stored at once, and at most {@code aiusage.intake.concurrent-imports} file imports run; beyond that a sender is
 * answered 429 with Retry-After (OTLP exporters and LiteLLM retry it), so a burst of large deliveries can neither hold
 * every blocking thread nor every decoded body in memory.
 */
@Singleton
public class IntakeGate {
    private final Semaphore deliveries;
    private final Semaphore imports;

    IntakeGate(@Value("${aiusage.intake.concurrent-requests:4}") int concurrent,
               @Value("${aiusage.intake.concurrent-imports:2}") int concurrentImports) {
        this.deliveries = new Semaphore(Math.max(1, concurrent));
        this.imports = new Semaphore(Math.max(1, concurrentImports));
    }

    /** A delivery's permit, or null when every one is taken; close it when done. */
    public Permit tryEnter() {
        return tryAcquire(deliveries);
    }

    /** A file import's permit, or null when every one is taken; close it when done. */
    public Permit tryImport() {
        return tryAcquire(imports);
    }

    private static Permit tryAcquire(Semaphore permits) {
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
