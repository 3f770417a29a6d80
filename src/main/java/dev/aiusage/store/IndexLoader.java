package dev.aiusage.store;

import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Loads the in-memory indexes ({@link FoldedIndex}) on a thread of its own, one at a time, so that no request
 * waits for a load (a read finds the index still loading and the rollups in SQL answer it): every index once the
 * server has started ({@code aiusage.store.index.load-at-start}), and any index a read finds unloaded (after a
 * rebuild, a repricing or a missed fold step, or when nothing loaded it at start).
 */
@Singleton
class IndexLoader {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "index-loader");
        t.setDaemon(true);
        return t;
    });
    private final List<FoldedIndex> indexes = new CopyOnWriteArrayList<>();
    private final boolean atStart;

    IndexLoader(@Value("${aiusage.store.index.load-at-start:true}") boolean atStart) {
        this.atStart = atStart;
    }

    void register(FoldedIndex index) {
        indexes.add(index);
    }

    /** Every index, in the order they were made, once the server listens. */
    @EventListener
    void serverStarted(ServerStartupEvent event) {
        if (atStart) {
            indexes.forEach(FoldedIndex::requestLoad);
        }
    }

    /** Runs {@code load} on the loader's thread after those queued; false when the service is stopping. */
    boolean submit(Runnable load) {
        try {
            thread.execute(load);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    boolean stopping() {
        return thread.isShutdown();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
