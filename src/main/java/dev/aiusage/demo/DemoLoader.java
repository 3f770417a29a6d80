package dev.aiusage.demo;

import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.people.PeopleService;
import dev.aiusage.store.UsageRecordRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills an empty database with generated demo usage when, and only when, {@code aiusage.demo.enabled} is
 * set (the {@code demo} environment, which also switches to an in-memory database). It refuses to touch a
 * database that already holds records, so demo data never mixes with real usage.
 */
@Singleton
@Requires(property = "aiusage.demo.enabled", value = "true")
class DemoLoader {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLoader.class);
    static final int DAYS = 45;

    private final IngestService ingest;
    private final PeopleService people;
    private final UsageRecordRepository repository;
    private final Clock clock;
    private final int records;
    private final long seed;

    DemoLoader(IngestService ingest, PeopleService people, UsageRecordRepository repository, Clock clock,
               @Value("${aiusage.demo.records:20000}") int records, @Value("${aiusage.demo.seed:42}") long seed) {
        this.ingest = ingest;
        this.people = people;
        this.repository = repository;
        this.clock = clock;
        this.records = records;
        this.seed = seed;
    }

    @EventListener
    void load(StartupEvent event) {
        if (repository.count() > 0) {
            LOG.warn("DEMO MODE requested, but the database already holds records: no demo data loaded.");
            return;
        }
        SyntheticUsage usage = new SyntheticUsage(seed, clock.instant(), DAYS);
        List<UsageInput> batch = new ArrayList<>(IngestService.MAX_BATCH);
        for (long i = 0; i < records; i++) {
            batch.add(usage.record(i));
            if (batch.size() == IngestService.MAX_BATCH || i == records - 1) {
                ingest.recordBatch(batch);
                batch.clear();
            }
        }
        SyntheticPeople directory = new SyntheticPeople(clock.instant());
        people.upsertPeople(directory.people());
        people.recordAccessEvents(directory.events());
        LOG.warn("DEMO MODE: {} generated records over the last {} days, and a demo people directory, in an in-memory database. "
                + "These figures are not real usage and vanish when the service stops.", records, DAYS);
    }
}
