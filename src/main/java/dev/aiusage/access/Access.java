package dev.aiusage.access;

import dev.aiusage.domain.UsageFilter;

import java.util.List;

/**
 * Who is calling and what they may do, decided once per request by {@link AccessFilter}. Every read narrows
 * its filter through {@link #scope}, so a team key sees its own team wherever it looks; asking for another
 * team is refused rather than answered with an empty result that would read as "no usage".
 *
 * @param role the key's role; ADMIN in open mode
 * @param team the team of a TEAM key, else null
 * @param open true when no key is configured and the service runs open (on localhost only)
 * @param caller which key this is ({@code key:<id>}, {@code admin-key}, or {@code open}), for per-key limits;
 *               never the secret
 */
public record Access(Role role, String team, boolean open, String caller) {
    /** Open mode: no keys configured, everything allowed. */
    public static final Access OPEN = new Access(Role.ADMIN, null, true, "open");

    public static Access of(Role role, String team, String caller) {
        return new Access(role, team, false, caller);
    }

    public void requireAdmin() {
        if (role != Role.ADMIN) {
            throw new ForbiddenException(null, "this needs an ADMIN key; this key is " + describe());
        }
    }

    public void requireWrite() {
        if (role != Role.ADMIN && role != Role.INGEST) {
            throw new ForbiddenException(null, "recording usage needs an ADMIN or INGEST key; this key is " + describe());
        }
    }

    public void requireRead() {
        if (role == Role.INGEST) {
            throw new ForbiddenException(null, "an INGEST key may only record usage");
        }
    }

    /** Company-wide outputs (deliveries of the whole report, tickets): ADMIN or VIEWER. */
    public void requireAllTeams() {
        if (role != Role.ADMIN && role != Role.VIEWER) {
            throw new ForbiddenException(null, "this shows every team's figures and needs an ADMIN or VIEWER key; this key is " + describe());
        }
    }

    /** The filter narrowed to what this caller may read; a TEAM key naming another team is refused. */
    public UsageFilter scope(UsageFilter filter) {
        requireRead();
        if (role != Role.TEAM) {
            return filter;
        }
        if (!filter.teams().isEmpty() && !filter.teams().equals(List.of(team))) {
            throw new ForbiddenException("filter.teams", "this key may only read team '" + team + "'");
        }
        return new UsageFilter(List.of(team), filter.users(), filter.providers(), filter.models(), filter.workflows(), filter.taskTypes());
    }

    /** Checks that this caller may read {@code requested}'s usage. */
    public void requireTeam(String requested) {
        requireRead();
        if (role == Role.TEAM && !team.equals(requested)) {
            throw new ForbiddenException("team", "this key may only read team '" + team + "'");
        }
    }

    private String describe() {
        return switch (role) {
            case TEAM -> "a TEAM key of '" + team + "'";
            case VIEWER -> "a VIEWER key";
            default -> "an " + role + " key";
        };
    }
}
