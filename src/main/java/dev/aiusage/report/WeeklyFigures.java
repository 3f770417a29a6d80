package dev.aiusage.report;

import dev.aiusage.analysis.ModelEfficiency;
import dev.aiusage.analysis.SpendAnomaly;
import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.analysis.TeamCost;
import dev.aiusage.analysis.WorkflowCost;
import dev.aiusage.analysis.adoption.Adoption;

import java.time.Instant;
import java.util.List;

/**
 * What a weekly report says, before it is written out for a reader (Markdown) or for Slack: the week's cost
 * by team beside the week before, top workflows, model efficiency, opportunities over 30 days, spend anomalies of
 * the week (UTC days), and adoption.
 */
public record WeeklyFigures(Instant weekStart, Instant weekEnd, List<TeamCost> teams, List<TeamCost> previousTeams,
                            List<WorkflowCost> workflows, List<ModelEfficiency> models,
                            List<SubstitutionOpportunity> opportunities, Adoption adoption, List<SpendAnomaly> anomalies) {

    public double totalCost() {
        return teams.stream().mapToDouble(TeamCost::totalCost).sum();
    }

    public double previousTotalCost() {
        return previousTeams.stream().mapToDouble(TeamCost::totalCost).sum();
    }

    public long calls() {
        return teams.stream().mapToLong(TeamCost::requests).sum();
    }
}
