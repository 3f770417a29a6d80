package dev.aiusage.report;

import dev.aiusage.analysis.adoption.Adoption;
import dev.aiusage.analysis.adoption.GroupAdoption;
import dev.aiusage.analysis.adoption.Pairing;
import dev.aiusage.analysis.adoption.PersonAdoption;
import dev.aiusage.domain.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The weekly report's adoption section as plain lines, shared by the Markdown and the Slack renderings: active
 * share by level, seniors at zero split blocked / not engaging, the oldest open access request, and the
 * pairing suggestions.
 */
final class AdoptionLines {
    static final int TOP_PAIRINGS = 5;
    static final String NO_DIRECTORY = "No people directory loaded: import one to see who is building and who is blocked.";

    private AdoptionLines() {
    }

    /** The section's lines; a single line when there is no directory to classify. */
    static List<String> of(Adoption a) {
        if (a.byLevel().isEmpty()) {
            return List.of(NO_DIRECTORY);
        }
        List<String> lines = new ArrayList<>();
        lines.add("Active share by level: " + a.byLevel().stream().map(AdoptionLines::share).collect(Collectors.joining(", ")));
        var seniors = a.seniorsAtZero();
        lines.add(seniors.count() == 0 ? "Seniors at zero: none"
                : "Seniors at zero: " + seniors.count() + " (blocked: " + names(seniors.blocked()) + "; not engaging: "
                + names(seniors.notEngaging()) + ")");
        var friction = a.friction();
        lines.add(friction.openRequests() == 0 ? "Open access requests: none"
                : "Oldest open access request: " + friction.oldestOpenRequestUser() + ", waiting " + Formats.days(friction.oldestOpenRequestDays())
                + " (" + Formats.count(friction.openRequests(), "open request") + ")");
        for (Pairing p : a.pairings().stream().limit(TOP_PAIRINGS).toList()) {
            lines.add("Pair " + person(p.senior()) + " with " + name(p.peer()) + (p.sameTeam()
                    ? " (same team, " + Formats.count(p.peer().calls(), "call") + ")"
                    : " (" + p.peer().team() + ", shares " + String.join(", ", p.sharedWorkflows()) + ")"));
        }
        if (a.pairings().size() > TOP_PAIRINGS) {
            lines.add(Formats.count(a.pairings().size() - TOP_PAIRINGS, "more pairing") + " in the adoption view");
        }
        return lines;
    }

    private static String share(GroupAdoption g) {
        return g.key() + " " + Formats.percent(g.activeShare()) + " (" + g.active() + " of " + g.people() + ")";
    }

    private static String names(List<PersonAdoption> people) {
        return people.isEmpty() ? "none" : people.stream().map(AdoptionLines::name).collect(Collectors.joining(", "));
    }

    private static String name(PersonAdoption p) {
        return p.displayName() == null ? p.user() : p.displayName();
    }

    private static String person(PersonAdoption p) {
        return name(p) + " (" + p.level() + ", " + p.team() + ")";
    }
}
