package dev.aiusage.demo;

import dev.aiusage.people.PeopleService.AccessEventInput;
import dev.aiusage.people.PeopleService.PersonInput;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A demo directory for the teams of {@link SyntheticUsage}, so that the adoption view has something to say:
 * the six users of each team with levels and access granted after a wait of 1 to 11 days, plus in each team a
 * senior whose access request is still open, a staff engineer granted access 25 days ago who never used it,
 * and (in every other team) a principal who never got access. Deterministic: the same start instant gives the same people.
 */
final class SyntheticPeople {
    private static final List<String> LEVELS = List.of("JUNIOR", "MID", "MID", "SENIOR", "SENIOR", "STAFF");

    private final Instant now;
    private final List<String> teams;

    SyntheticPeople(Instant now) {
        this.now = now;
        this.teams = SyntheticUsage.WORKFLOWS.stream().map(SyntheticUsage.Workflow::team).distinct().toList();
    }

    List<PersonInput> people() {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        List<PersonInput> people = new ArrayList<>();
        for (int t = 0; t < teams.size(); t++) {
            String team = teams.get(t);
            for (int u = 1; u <= SyntheticUsage.USERS_PER_TEAM; u++) {
                people.add(new PersonInput(team + "-user-" + u, name(team, "user " + u), team, LEVELS.get(u - 1),
                        today.minusDays(200L * u + 37L * t)));
            }
            people.add(new PersonInput(team + "-senior-waiting", name(team, "senior, waiting"), team, "SENIOR", today.minusYears(6)));
            people.add(new PersonInput(team + "-staff-idle", name(team, "staff, idle"), team, "STAFF", today.minusYears(4)));
            if (t % 2 == 0) {
                people.add(new PersonInput(team + "-principal", name(team, "principal"), team, "PRINCIPAL", today.minusYears(9)));
            }
        }
        return people;
    }

    List<AccessEventInput> events() {
        List<AccessEventInput> events = new ArrayList<>();
        Instant granted = now.minus(Duration.ofDays(DemoLoader.DAYS + 5));
        for (int t = 0; t < teams.size(); t++) {
            String team = teams.get(t);
            for (int u = 1; u <= SyntheticUsage.USERS_PER_TEAM; u++) {
                Instant at = granted.plus(Duration.ofHours(7L * u + t));
                events.add(new AccessEventInput(team + "-user-" + u, "REQUESTED", at.minus(Duration.ofDays(1 + (u * 3L + t) % 11)), "demo"));
                events.add(new AccessEventInput(team + "-user-" + u, "GRANTED", at, "demo"));
            }
            events.add(new AccessEventInput(team + "-senior-waiting", "REQUESTED", now.minus(Duration.ofDays(20L + 9L * t)), "demo"));
            events.add(new AccessEventInput(team + "-staff-idle", "REQUESTED", now.minus(Duration.ofDays(40L + t)), "demo"));
            events.add(new AccessEventInput(team + "-staff-idle", "GRANTED", now.minus(Duration.ofDays(25)), "demo"));
        }
        return events;
    }

    private static String name(String team, String who) {
        return "Demo " + team + " " + who;
    }
}
