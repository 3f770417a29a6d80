package dev.aiusage.analysis;

import dev.aiusage.Application;
import dev.aiusage.store.RollupFolder;
import dev.aiusage.store.StoreSummary;
import dev.aiusage.store.UsageAggregates;
import dev.aiusage.store.UsageIndexes;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Objects;

/** Answers "what is this service and what does it hold", so that nobody mistakes demo data for real usage. */
@Singleton
public class ServiceInfoService {
    private final UsageAggregates aggregates;
    private final RollupFolder folder;
    private final UsageIndexes indexes;
    private final boolean demo;

    public ServiceInfoService(UsageAggregates aggregates, RollupFolder folder, UsageIndexes indexes,
                              @Value("${aiusage.demo.enabled:false}") boolean demo) {
        this.aggregates = aggregates;
        this.folder = folder;
        this.indexes = indexes;
        this.demo = demo;
    }

    /** What is stored: of every team, or of {@code team} alone when it is given (a TEAM key sees only its own). */
    public ServiceInfo current(String team) {
        String version = Objects.requireNonNullElse(Application.class.getPackage().getImplementationVersion(), "development");
        StoreSummary summary = team == null
                ? aggregates.summary()
                : aggregates.teamSummary(team);
        return new ServiceInfo(version, demo, summary.records(), summary.oldest(), summary.newest(), folder.unfolded(),
                indexes.status());
    }
}
