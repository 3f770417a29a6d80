package dev.aiusage.analysis;

import dev.aiusage.Application;
import dev.aiusage.store.UsageRecordRepository;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Objects;

/** Answers "what is this service and what does it hold", so that nobody mistakes demo data for real usage. */
@Singleton
public class ServiceInfoService {
    private final UsageRecordRepository repository;
    private final boolean demo;

    public ServiceInfoService(UsageRecordRepository repository, @Value("${aiusage.demo.enabled:false}") boolean demo) {
        this.repository = repository;
        this.demo = demo;
    }

    public ServiceInfo current() {
        String version = Objects.requireNonNullElse(Application.class.getPackage().getImplementationVersion(), "development");
        return new ServiceInfo(version, demo, repository.count(),
                repository.findMinTs().orElse(null), repository.findMaxTs().orElse(null));
    }
}
