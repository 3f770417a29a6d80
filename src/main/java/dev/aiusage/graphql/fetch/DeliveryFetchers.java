package dev.aiusage.graphql.fetch;

import dev.aiusage.graphql.Scalars;
import dev.aiusage.report.ReportDelivery;
import dev.aiusage.report.ReportDeliveryService;
import dev.aiusage.report.ReportScheduleInfo;
import dev.aiusage.report.SendWeeklyReportResult;
import graphql.schema.DataFetchingEnvironment;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The fetchers of {@code schema/delivery.graphqls}: the weekly report's deliveries to Slack, its schedule, and a
 * send on demand. Each reads its arguments, makes one service call and returns; {@code GraphQLFactory} wires
 * them to the schema.
 */
@Singleton
public class DeliveryFetchers {
    private final ReportDeliveryService deliveries;
    private final ExecutorService io;

    DeliveryFetchers(ReportDeliveryService deliveries, @Named(TaskExecutors.IO) ExecutorService io) {
        this.deliveries = deliveries;
        this.io = io;
    }

    public List<ReportDelivery> reportDeliveries(DataFetchingEnvironment env) {
        return deliveries.deliveries(Arguments.first(env.getArgumentOrDefault("first", 20)));
    }

    public ReportScheduleInfo reportSchedule(DataFetchingEnvironment env) {
        return deliveries.schedule();
    }

    /** Posting to Slack waits on the network: done on the I/O pool, not the event loop that runs GraphQL. */
    public CompletableFuture<SendWeeklyReportResult> sendWeeklyReport(DataFetchingEnvironment env) {
        Instant weekEnding = Scalars.instant(env.getArgument("weekEnding"));
        boolean dryRun = env.getArgumentOrDefault("dryRun", false);
        return CompletableFuture.supplyAsync(() -> deliveries.send(weekEnding, dryRun), io);
    }
}
