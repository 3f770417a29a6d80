package dev.aiusage.analysis;

import dev.aiusage.Application;
import dev.aiusage.store.RollupFolder;
import dev.aiusage.store.StoreSummary;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageRecordRepository;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Objects;

/** Answers "what is this service and what does it hold", so that nobody mistakes demo data for real usage. */
@Singleton
public class ServiceInfoService {
    private final UsageRecordRepository repository;
    private final UsageAggregates aggregates;
    private final RollupFolder folder;
    private final boolean demo;

    public ServiceInfoService(UsageRecordRepository repository, UsageAggregates aggregates, RollupFolder folder,
                              @Value("${aiusage.demo.enabled:false}") boolean demo) {
        this.repository = repository;
        this.aggregates = aggregates;
        this.folder = folder;
        this.demo = demo;
    }

    /** What is stored: of every team, or of {@code team} alone when it is given (a TEAM key sees only its own). */
    public ServiceInfo current(String team) {
        String version = Objects.requireNonNullElse(Application.class.getPackage().getImplementationVersion(), "development");
        StoreSummary summary = team == null
                ? new StoreSummary(repository.count(), repository.findMinTs().orElse(null), repository.findMaxTs().orElse(null))
                : aggregates.teamSummary(team);
        return new ServiceInfo(version, demo, summary.records(), summary.oldest(), summary.newest(), folder.unfolded());
    }
}
