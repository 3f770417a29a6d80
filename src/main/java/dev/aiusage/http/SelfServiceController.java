package dev.aiusage.http;

import dev.aiusage.access.AccessFilter;
import dev.aiusage.analysis.AnalyticsService;
import dev.aiusage.analysis.DailyTrend;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Formats;
import dev.aiusage.domain.Names;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.report.WeeklyReportService;
import dev.aiusage.store.QueryBudget;
import dev.aiusage.store.ReadBudget;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * The article's self-service endpoints, which existing scripts already call, answered by the same services
 * as GraphQL, within the same time budget per request.
 */
@Controller("/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
class SelfServiceController {
    private final AnalyticsService analytics;
    private final WeeklyReportService reports;
    private final Clock clock;
    private final ReadBudget readBudget;

    SelfServiceController(AnalyticsService analytics, WeeklyReportService reports, Clock clock, ReadBudget readBudget) {
        this.analytics = analytics;
        this.reports = reports;
        this.clock = clock;
        this.readBudget = readBudget;
    }

    /**
     * A team's cost per UTC day (or per day of {@code timeZone}) over the last {@code days} days: JSON, or with
     * {@code Accept: text/csv} the days as CSV, {@code day,cost,requests} (RFC 4180, via commons-csv).
     */
    @Get(value = "/team/{team}", produces = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> team(HttpRequest<?> request, @PathVariable String team, @QueryValue(defaultValue = "30") String days,
                         @QueryValue(defaultValue = "UTC") String timeZone) {
        String name = Names.require("team", team);
        AccessFilter.of(request).requireTeam(name);
        int d = TimeWindow.checkDays(parseDays(days));
        List<DailyTrend> trend = QueryBudget.within(readBudget.start(),
                () -> analytics.dailyTrend(TimeWindow.resolve(d, null, null, clock), UsageFilter.ofTeam(name), timeZone));
        List<Day> daily = trend.stream().map(t -> new Day(t.day().toString(), t.cost(), t.requests())).toList();
        TeamUsage usage = new TeamUsage(name, d, trend.stream().mapToDouble(DailyTrend::cost).sum(), daily);
        boolean csv = request.accept().stream().max(java.util.Comparator.comparing(MediaType::getQualityAsNumber))
                .map(t -> t.getName().equals("text/csv")).orElse(false);
        return csv ? csv(usage) : HttpResponse.ok(usage).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static HttpResponse<String> csv(TeamUsage usage) {
        StringBuilder csv = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.RFC4180)) {
            printer.printRecord("day", "cost", "requests");
            for (Day day : usage.daily()) {
                printer.printRecord(day.day(), Formats.plain(day.cost()), day.requests());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.ok(csv.toString()).contentType(MediaType.of("text/csv;charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + usage.team() + ".csv\"");
    }

    /** The weekly report over the seven days before now; a TEAM key gets its own team's. */
    @Get("/report")
    Report report(HttpRequest<?> request) {
        UsageFilter scope = AccessFilter.of(request).scope(UsageFilter.NONE);
        return new Report(QueryBudget.within(readBudget.start(), () -> reports.build(null, scope)).markdown());
    }

    private static int parseDays(String days) {
        try {
            return Integer.parseInt(days.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException("days", "days must be a whole number of days");
        }
    }

    @Serdeable
    record TeamUsage(String team, int days, @JsonProperty("total_cost") double totalCost, List<Day> daily) {
    }

    @Serdeable
    record Day(String day, double cost, long requests) {
    }

    @Serdeable
    record Report(String report) {
    }
}
