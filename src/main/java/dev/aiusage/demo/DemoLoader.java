package dev.aiusage.demo;

import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.people.PeopleService;
import dev.aiusage.store.UsageRecordRepository;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.flyway.event.MigrationFinishedEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fills an empty database with generated demo usage when, and only when, {@code aiusage.demo.enabled} is
 * set (the {@code demo} environment, which also switches to an in-memory database). It refuses to touch a
 * database that already holds records, so demo data never mixes with real usage.
 */
@Singleton
@Requires(property = "aiusage.demo.enabled", value = "true")
class DemoLoader implements ApplicationEventListener<MigrationFinishedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLoader.class);
    static final int DAYS = 45;

    // looked up on the loader's thread: the migration event comes while the data source is still being created
    private final BeanProvider<IngestService> ingest;
    private final BeanProvider<PeopleService> people;
    private final BeanProvider<UsageRecordRepository> repository;
    private final Clock clock;
    private final int records;
    private final long seed;
    /** Done once the demo data is stored (or refused); {@link DemoGate} holds requests until then. */
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final AtomicBoolean loading = new AtomicBoolean();

    DemoLoader(BeanProvider<IngestService> ingest, BeanProvider<PeopleService> people, BeanProvider<UsageRecordRepository> repository,
               Clock clock, @Value("${aiusage.demo.records:20000}") int records, @Value("${aiusage.demo.seed:42}") long seed) {
        this.ingest = ingest;
        this.people = people;
        this.repository = repository;
        this.clock = clock;
        this.records = records;
        this.seed = seed;
    }

    /**
     * Starts loading as soon as the database is migrated, on a thread of its own, so that generating and storing
     * the records runs beside the rest of start-up rather than after it.
     */
    @Override
    public void onApplicationEvent(MigrationFinishedEvent event) {
        start();
    }

    /** Without migrations to wait for (Flyway off), at the latest once the context has started. */
    @EventListener
    void contextStarted(StartupEvent event) {
        start();
    }

    private void start() {
        if (loading.getAndSet(true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                load();
            } catch (RuntimeException e) {
                LOG.error("DEMO MODE: loading the demo data failed", e);
            } finally {
                loaded.complete(null);
            }
        }, "demo-loader");
        loader.setDaemon(true);
        loader.start();
    }

    CompletableFuture<Void> loaded() {
        return loaded;
    }

    void load() {
        if (repository.get().count() > 0) {
            LOG.warn("DEMO MODE requested, but the database already holds records: no demo data loaded.");
            return;
        }
        long started = System.nanoTime();
        LOG.info("DEMO MODE: generating {} records", records);
        SyntheticUsage usage = new SyntheticUsage(seed, clock.instant(), DAYS);
        List<UsageInput> batch = new ArrayList<>(IngestService.MAX_BATCH);
        for (long i = 0; i < records; i++) {
            batch.add(usage.record(i));
            if (batch.size() == IngestService.MAX_BATCH || i == records - 1) {
                ingest.get().recordBatch(batch);
                batch.clear();
            }
        }
        SyntheticPeople directory = new SyntheticPeople(clock.instant());
        people.get().upsertPeople(directory.people());
        people.get().recordAccessEvents(directory.events());
        LOG.warn("DEMO MODE: {} generated records over the last {} days, and a demo people directory, in an in-memory database "
                + "(stored in {} ms). These figures are not real usage and vanish when the service stops.", records, DAYS,
                (System.nanoTime() - started) / 1_000_000);
    }
}
