package dev.aiusage.report;

import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.analysis.TeamCost;
import dev.aiusage.analysis.WorkflowCost;
import dev.aiusage.domain.Formats;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly report as Slack mrkdwn, for an incoming webhook's {@code text}: a bold header, short bulleted
 * lists, dollar amounts with two decimals, and each team's change on the week before. Slack does not render
 * Markdown headings or tables, and reads {@code &}, {@code <} and {@code >} as markup, so names are escaped.
 */
public final class SlackMessage {
    static final int TOP_TEAMS = 10;
    private static final DateTimeFormatter END = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm", Locale.US).withZone(ZoneOffset.UTC);

    private SlackMessage() {
    }

    public static String text(WeeklyFigures f) {
        StringBuilder s = new StringBuilder();
        s.append("*AI usage report: the 7 days to ").append(END.format(f.weekEnd())).append(" UTC*\n");
        s.append("*").append(Formats.cents(f.totalCost())).append("* over ").append(Formats.count(f.calls(), "call"));
        String change = Formats.change(f.totalCost(), f.previousTotalCost());
        if (change != null) {
            s.append(", ").append(change).append(" on the week before (").append(Formats.cents(f.previousTotalCost())).append(")");
        }
        s.append("\n");

        s.append("\n*Cost by team*\n");
        Map<String, TeamCost> before = new LinkedHashMap<>();
        f.previousTeams().forEach(t -> before.put(t.team(), t));
        Map<String, double[]> rows = new LinkedHashMap<>();
        f.teams().forEach(t -> rows.put(t.team(), new double[]{t.totalCost(), before.containsKey(t.team()) ? before.get(t.team()).totalCost() : 0}));
        f.previousTeams().forEach(t -> rows.putIfAbsent(t.team(), new double[]{0, t.totalCost()}));
        if (rows.isEmpty()) {
            s.append("No usage this week or the week before.\n");
        }
        int shown = 0;
        double restCost = 0;
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            double now = row.getValue()[0];
            double was = row.getValue()[1];
            if (shown++ >= TOP_TEAMS) {
                restCost += now;
                continue;
            }
            s.append("• ").append(escape(row.getKey())).append(": ").append(Formats.cents(now));
            String teamChange = Formats.change(now, was);
            s.append(teamChange == null ? " (new this week)" : " (" + teamChange + ", was " + Formats.cents(was) + ")").append("\n");
        }
        if (rows.size() > TOP_TEAMS) {
            s.append("• ").append(Formats.count(rows.size() - TOP_TEAMS, "more team")).append(": ").append(Formats.cents(restCost)).append("\n");
        }

        s.append("\n*Top workflows by cost*\n");
        if (f.workflows().isEmpty()) {
            s.append("No usage this week.\n");
        }
        for (WorkflowCost w : f.workflows().stream().limit(WeeklyReportService.TOP_WORKFLOWS).toList()) {
            s.append("• ").append(escape(WeeklyReportService.workflowName(w.workflow()))).append(" / ").append(escape(w.taskType()))
                    .append(" on ").append(escape(w.model())).append(": ").append(Formats.cents(w.totalCost())).append(", ")
                    .append(Formats.count(w.requests(), "call"))
                    .append(w.passRate() == null ? "" : ", " + Formats.percent(w.passRate()) + " passed").append("\n");
        }

        s.append("\n*Model efficiency (scored calls)*\n");
        if (f.models().isEmpty()) {
            s.append("No scored calls this week.\n");
        }
        for (ModelEfficiency m : f.models()) {
            s.append("• ").append(escape(m.model())).append(": quality ").append(Formats.score(m.avgQuality())).append(", ")
                    .append(Formats.cents(m.avgCost() * 1000)).append(" per 1,000 calls\n");
        }

        s.append("\n*Savings to act on (last 30 days)*\n");
        List<SubstitutionOpportunity> opportunities = f.opportunities();
        if (opportunities.isEmpty()) {
            s.append("None found this week.\n");
        }
        for (SubstitutionOpportunity o : opportunities.stream().limit(WeeklyReportService.TOP_OPPORTUNITIES).toList()) {
            s.append("• ").append(escape(WeeklyReportService.workflowName(o.workflow()))).append(" / ").append(escape(o.taskType()))
                    .append(": ").append(escape(o.currentModel())).append(" → ").append(escape(o.betterModel()))
                    .append(", about ").append(Formats.cents(o.estMonthlySavings())).append("/month (")
                    .append(Formats.ratio(o.costRatio())).append(" cheaper, quality change ").append(Formats.signed(-o.qualityDiff()))
                    .append(" on ").append(Formats.count(o.currentSamples())).append(" vs ").append(Formats.count(o.betterSamples()))
                    .append(" scored calls)\n")
                    .append("   ").append(escape(o.evidence())).append("\n");
        }

        s.append("\n*Spend anomalies (last 7 days)*\n");
        if (f.anomalies().isEmpty()) {
            s.append("None this week.\n");
        }
        for (String line : WeeklyReportService.anomalyLines(f.anomalies())) {
            s.append("• ").append(escape(line)).append("\n");
        }

        s.append("\n*Adoption (last 7 days)*\n");
        for (String line : AdoptionLines.of(f.adoption())) {
            s.append(line.equals(AdoptionLines.NO_DIRECTORY) ? "" : "• ").append(escape(line)).append("\n");
        }
        return s.toString();
    }

    /** Slack's three control characters in mrkdwn text. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
