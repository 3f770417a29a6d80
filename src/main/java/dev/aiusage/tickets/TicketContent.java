package dev.aiusage.tickets;

import dev.aiusage.analysis.SubstitutionOpportunity;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.Formats;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a substitution ticket says, whichever tracker it goes to: a summary line and labelled facts. */
record TicketContent(String summary, String intro, Map<String, String> facts) {

    /** The intro, a blank line, and one line per fact written with {@code factFormat} (label, then value). */
    String description(String factFormat) {
        StringBuilder text = new StringBuilder(intro).append("\n");
        facts.forEach((label, value) -> text.append("\n").append(String.format(factFormat, label, value)));
        return text.toString();
    }

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    static TicketContent of(SubstitutionOpportunity o, TimeWindow window) {
        String workflow = o.workflow() == null ? "(no workflow)" : o.workflow();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Workflow", workflow);
        facts.put("Task type", o.taskType());
        facts.put("Current model", o.currentModel());
        facts.put("Suggested model", o.betterModel());
        facts.put("Quality difference", Formats.signed(o.qualityDiff()) + " (current minus suggested average quality; measured on "
                + Formats.count(o.currentSamples(), "scored call") + " of " + o.currentModel() + " and "
                + Formats.count(o.betterSamples(), "scored call") + " of " + o.betterModel() + ")");
        facts.put("Cost ratio", Formats.ratio(o.costRatio()) + " (average cost per call, current over suggested)");
        facts.put("Estimated monthly savings", Formats.cents(o.estMonthlySavings()) + " (at the volume of "
                + Formats.count(o.currentRequests(), "call") + " in the window)");
        facts.put("Verdict", o.evidence() + " (Welch interval of the quality difference; non-inferiority test against the margin, "
                + "Holm-adjusted over all suggestions of the run)");
        facts.put("Measured over", MINUTE.format(window.from()) + " to " + MINUTE.format(window.to()) + " UTC ("
                + Formats.count(Duration.between(window.from(), window.to()).toDays(), "day") + ")");
        return new TicketContent("Switch " + workflow + " / " + o.taskType() + " from " + o.currentModel() + " to "
                + o.betterModel() + ": save about " + Formats.cents(o.estMonthlySavings()) + " a month",
                "ai-usage-analytics found a cheaper model whose measured quality on this workflow and task type is as good "
                        + "as the model in use.", facts);
    }
}
