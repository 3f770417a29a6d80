package dev.aiusage.graphql;

import dev.aiusage.access.ApiKey;
import dev.aiusage.access.ApiKeyService;
import dev.aiusage.access.CreatedApiKey;
import dev.aiusage.access.Role;
import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.DailyTrend;
import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.RecordBrowser;
import dev.aiusage.analysis.RecordPage;
import dev.aiusage.analysis.ServiceInfo;
import dev.aiusage.analysis.ServiceInfoService;
import dev.aiusage.analysis.SubstitutionCriteria;
import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.analysis.TeamCost;
import dev.aiusage.analysis.adoption.Adoption;
import dev.aiusage.analysis.adoption.AdoptionService;
import dev.aiusage.analysis.adoption.AdoptionWeek;
import dev.aiusage.analysis.PowerUserService;
import dev.aiusage.analysis.PowerUsers;
import dev.aiusage.analysis.prompts.PromptInsights;
import dev.aiusage.analysis.prompts.PromptInsightsService;
import dev.aiusage.domain.Names;
import dev.aiusage.store.UsageRecord;
import dev.aiusage.people.ImportResult;
import dev.aiusage.people.PeopleService;
import dev.aiusage.people.Person;
import dev.aiusage.analysis.WorkflowCost;
import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.RecordUsageResult;
import dev.aiusage.ingest.RollupMaintenance;
import dev.aiusage.report.ReportDelivery;
import dev.aiusage.report.ReportDeliveryService;
import dev.aiusage.report.ReportScheduleInfo;
import dev.aiusage.report.SendWeeklyReportResult;
import dev.aiusage.report.WeeklyReport;
import dev.aiusage.tickets.SubstitutionTicket;
import dev.aiusage.tickets.TicketRun;
import dev.aiusage.tickets.TicketService;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import dev.aiusage.report.WeeklyReportService;
import dev.aiusage.domain.UsageFilter;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The data fetchers of every root field. Each reads its arguments, makes one service call and returns;
 * {@link GraphQLFactory} wires them to the schema.
 */
@Singleton
class Fetchers {
    private final IngestService ingest;
    private final RollupMaintenance rollups;
    private final AnalyticsService analytics;
    private final RecordBrowser records;
    private final WeeklyReportService reports;
    private final ServiceInfoService info;
    private final ApiKeyService keys;
    private final ReportDeliveryService deliveries;
    private final TicketService tickets;
    private final ExecutorService io;
    private final PeopleService directory;
    private final AdoptionService adoption;
    private final PowerUserService powerUsers;
    private final PromptInsightsService prompts;
    private final Clock clock;

    Fetchers(ApiKeyService keys, IngestService ingest, RollupMaintenance rollups, AnalyticsService analytics, RecordBrowser records, WeeklyReportService reports,
             ServiceInfoService info, ReportDeliveryService deliveries, TicketService tickets,
             @Named(TaskExecutors.IO) ExecutorService io, PeopleService directory, AdoptionService adoption, PowerUserService powerUsers,
             PromptInsightsService prompts, Clock clock) {
        this.prompts = prompts;
        this.powerUsers = powerUsers;
        this.directory = directory;
        this.adoption = adoption;
        this.deliveries = deliveries;
        this.tickets = tickets;
        this.io = io;
        this.ingest = ingest;
        this.rollups = rollups;
        this.analytics = analytics;
        this.records = records;
        this.reports = reports;
        this.info = info;
        this.keys = keys;
        this.clock = clock;
    }

    ServiceInfo serviceInfo(DataFetchingEnvironment env) {
        return info.current(Guard.access(env).team());
    }

    List<ApiKey> apiKeys(DataFetchingEnvironment env) {
        return keys.list();
    }

    CreatedApiKey createApiKey(DataFetchingEnvironment env) {
        return keys.create(env.getArgument("name"), Role.valueOf(env.getArgument("role")), env.getArgument("team"));
    }

    ApiKey revokeApiKey(DataFetchingEnvironment env) {
        return keys.revoke(Arguments.id(env.getArgument("id")));
    }

    RecordUsageResult recordUsage(DataFetchingEnvironment env) {
        return ingest.recordOne(Arguments.usageInput(env.getArgument("input")));
    }

    RecordUsageResult recordUsageBatch(DataFetchingEnvironment env) {
        List<Map<String, Object>> inputs = env.getArgument("inputs");
        return ingest.recordBatch(inputs.stream().map(Arguments::usageInput).toList());
    }

    RollupMaintenance.RebuildReport rebuildRollups(DataFetchingEnvironment env) {
        return rollups.rebuild();
    }

    RecordPage usageRecords(DataFetchingEnvironment env) {
        return records.page(Arguments.filter(env), env.getArgument(Arguments.DAYS), env.getArgument(Arguments.FROM),
                env.getArgument(Arguments.TO), env.getArgumentOrDefault("first", 50), env.getArgument("after"));
    }

    List<TeamCost> costByTeam(DataFetchingEnvironment env) {
        return analytics.costByTeam(Arguments.window(env, clock), Arguments.filter(env));
    }

    List<WorkflowCost> costByWorkflow(DataFetchingEnvironment env) {
        return analytics.costByWorkflow(Arguments.window(env, clock), Arguments.filter(env));
    }

    List<ModelEfficiency> modelEfficiency(DataFetchingEnvironment env) {
        return analytics.modelEfficiency(Arguments.window(env, clock), Arguments.filter(env));
    }

    List<DailyTrend> dailyTrend(DataFetchingEnvironment env) {
        return analytics.dailyTrend(Arguments.window(env, clock), Arguments.filter(env), env.getArgument("timeZone"));
    }

    List<SubstitutionOpportunity> substitutionOpportunities(DataFetchingEnvironment env) {
        SubstitutionCriteria criteria = new SubstitutionCriteria(env.getArgument("minSamples"),
                env.<Double>getArgument("maxQualityDiff"), env.<Double>getArgument("minCostRatio"));
        return analytics.substitutionOpportunities(Arguments.window(env, clock), Arguments.filter(env), criteria);
    }

    List<ReportDelivery> reportDeliveries(DataFetchingEnvironment env) {
        return deliveries.deliveries(Arguments.first(env.getArgumentOrDefault("first", 20)));
    }

    ReportScheduleInfo reportSchedule(DataFetchingEnvironment env) {
        return deliveries.schedule();
    }

    List<SubstitutionTicket> substitutionTickets(DataFetchingEnvironment env) {
        return tickets.tickets();
    }

    /** Posting to Slack waits on the network: done on the I/O pool, not the event loop that runs GraphQL. */
    CompletableFuture<SendWeeklyReportResult> sendWeeklyReport(DataFetchingEnvironment env) {
        Instant weekEnding = Scalars.instant(env.getArgument("weekEnding"));
        boolean dryRun = env.getArgumentOrDefault("dryRun", false);
        return CompletableFuture.supplyAsync(() -> deliveries.send(weekEnding, dryRun), io);
    }

    CompletableFuture<TicketRun> fileSubstitutionTickets(DataFetchingEnvironment env) {
        boolean dryRun = env.getArgumentOrDefault("dryRun", false);
        return CompletableFuture.supplyAsync(() -> tickets.run(dryRun), io);
    }

    List<Person> people(DataFetchingEnvironment env) {
        return directory.people(Arguments.teams(env));
    }

    ImportResult upsertPeople(DataFetchingEnvironment env) {
        List<Map<String, Object>> people = env.getArgument("people");
        return directory.upsertPeople(people.stream().map(Arguments::person).toList());
    }

    ImportResult recordAccessEvents(DataFetchingEnvironment env) {
        List<Map<String, Object>> events = env.getArgument("events");
        return directory.recordAccessEvents(events.stream().map(Arguments::accessEvent).toList());
    }

    Adoption adoption(DataFetchingEnvironment env) {
        return adoption.adoption(Arguments.window(env, clock), Arguments.teams(env), env.getArgument("activeCallsPerWeek"));
    }

    List<AdoptionWeek> adoptionTrend(DataFetchingEnvironment env) {
        return adoption.trend(env.getArgumentOrDefault("weeks", 12), Arguments.teams(env), env.getArgument("activeCallsPerWeek"), clock.instant());
    }

    PowerUsers powerUsers(DataFetchingEnvironment env) {
        String team = Names.require("team", env.getArgument("team"));
        Guard.access(env).requireTeam(team);
        return powerUsers.powerUsers(team, Arguments.window(env, clock), env.getArgumentOrDefault("limit", 10));
    }

    /** A record's template name and version, as one object (stored as two columns). */
    static Map<String, String> promptTemplate(DataFetchingEnvironment env) {
        UsageRecord record = env.getSource();
        return record.promptTemplate() == null ? null : Map.of("name", record.promptTemplate(), "version", record.promptVersion());
    }

    PromptInsights promptInsights(DataFetchingEnvironment env) {
        return prompts.insights(Arguments.window(env, clock), Arguments.filter(env));
    }

    WeeklyReport weeklyReport(DataFetchingEnvironment env) {
        OffsetDateTime weekEnding = env.getArgument("weekEnding");
        return reports.build(Scalars.instant(weekEnding), Guard.access(env).scope(UsageFilter.NONE));
    }
}
