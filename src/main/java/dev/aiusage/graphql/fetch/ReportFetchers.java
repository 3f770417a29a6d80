package dev.aiusage.graphql.fetch;

import dev.aiusage.domain.UsageFilter;
import dev.aiusage.graphql.Guard;
import dev.aiusage.graphql.Scalars;
import dev.aiusage.report.WeeklyReport;
import dev.aiusage.report.WeeklyReportService;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.OffsetDateTime;

/**
 * The fetchers of {@code schema/report.graphqls}: the weekly report as Markdown. Each reads its arguments, makes
 * one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class ReportFetchers {
    private final WeeklyReportService reports;

    ReportFetchers(WeeklyReportService reports) {
        this.reports = reports;
    }

    public WeeklyReport weeklyReport(DataFetchingEnvironment env) {
        OffsetDateTime weekEnding = env.getArgument("weekEnding");
        return reports.build(Scalars.instant(weekEnding), Guard.access(env).scope(UsageFilter.NONE));
    }
}
