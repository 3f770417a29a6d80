package dev.aiusage.analysis.adoption;

import dev.aiusage.store.QueryBudget;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.people.AccessEvent;
import dev.aiusage.people.Level;
import dev.aiusage.people.PeopleStore;
import dev.aiusage.people.Person;
import dev.aiusage.store.Dimension;
import dev.aiusage.store.GroupStats;
import dev.aiusage.store.UsageAggregates;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Adoption as a diagnostic: every person in the directory (and every user with usage but no entry) is
 * classified for the window, and zero usage is explained before it is judged. Someone without access, or
 * waiting for it, is BLOCKED; someone with access who stays at zero is NOT_ENGAGED (or LAPSED, having used the
 * tools before). Usage comes from the rollups; access from the IAM events recorded before the window's end.
 */
@Singleton
public class AdoptionService {
    private static final double DAY_SECONDS = 86_400.0;
    /** Tenure bands as of the window's end, upper bounds in days (exclusive). */
    private static final List<Map.Entry<String, Integer>> TENURE_BANDS = List.of(
            Map.entry("under 3 months", 91), Map.entry("3-12 months", 365), Map.entry("1-3 years", 3 * 365),
            Map.entry("3-5 years", 5 * 365), Map.entry("5+ years", Integer.MAX_VALUE));
    static final String UNKNOWN_TENURE = "unknown";

    private final PeopleStore people;
    private final UsageAggregates usage;
    private final double activeCallsPerWeek;
    private final int maxPairingsPerPeer;

    public AdoptionService(PeopleStore people, UsageAggregates usage,
                           @Value("${aiusage.adoption.active-calls-per-week:5}") double activeCallsPerWeek,
                           @Value("${aiusage.adoption.max-pairings-per-peer:2}") int maxPairingsPerPeer) {
        this.people = people;
        this.usage = usage;
        this.activeCallsPerWeek = activeCallsPerWeek;
        this.maxPairingsPerPeer = maxPairingsPerPeer;
    }

    /**
     * The adoption picture of {@code teams} (every team when empty) in {@code window}. A person is ACTIVE with
     * at least {@code callsPerWeek} (the configured value when null) calls a week, scaled to the window.
     */
    public Adoption adoption(TimeWindow window, List<String> teams, Double callsPerWeek) {
        double perWeek = perWeek(callsPerWeek);
        double threshold = perWeek * Duration.between(window.from(), window.to()).toSeconds() / (7 * DAY_SECONDS);
        LocalDate endDay = window.to().atOffset(ZoneOffset.UTC).toLocalDate();

        List<Person> directory = people.people(List.of());
        Set<String> known = new HashSet<>();
        directory.forEach(p -> known.add(p.user()));
        Set<String> scope = new HashSet<>(teams);
        Map<String, List<AccessEvent>> events = new HashMap<>();
        people.events(window.to(), teams).forEach(e -> events.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e));
        Map<String, LocalDate> lastBefore = usage.lastDayBefore(window.from());

        Map<String, Totals> byUser = new HashMap<>();
        Map<String, Totals> unknownByUser = new LinkedHashMap<>();
        Map<String, String> unknownTeam = new HashMap<>();
        // narrowed to the teams asked for (a TEAM key's own): a member's calls made under another team are that
        // team's usage, and counting them here would show its calls and cost to a reader of this one
        for (GroupStats g : usage.groupStats(window, callsOf(teams), List.of(Dimension.USER, Dimension.TEAM))) {
            QueryBudget.checkpoint();
            String user = g.key(0);
            if (user == null) {
                continue;
            }
            byUser.computeIfAbsent(user, u -> new Totals()).add(g);
            if (!known.contains(user) && (scope.isEmpty() || scope.contains(g.key(1)))) {
                unknownByUser.computeIfAbsent(user, u -> new Totals()).add(g);
                unknownTeam.merge(user, g.key(1), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }

        List<PersonAdoption> classified = new ArrayList<>();
        List<Wait> grants = new ArrayList<>();
        List<Wait> open = new ArrayList<>();
        for (Person p : directory) {
            QueryBudget.checkpoint();
            if (!scope.isEmpty() && !scope.contains(p.team()) || p.startDate() != null && !p.startDate().isBefore(endDay)) {
                continue;
            }
            AccessState access = AccessState.of(events.getOrDefault(p.user(), List.of()));
            access.grants.stream().filter(w -> !w.end.isBefore(window.from())).forEach(grants::add);
            if (access.openSince != null) {
                open.add(new Wait(p.user(), access.openSince, window.to()));
            }
            classified.add(classify(p, byUser.getOrDefault(p.user(), new Totals()), access, lastBefore.get(p.user()), threshold, window, endDay));
        }
        unknownByUser.forEach((user, totals) -> classified.add(new PersonAdoption(user, null, unknownTeam.get(user), null, null,
                UNKNOWN_TENURE, AdoptionStatus.UNKNOWN, totals.calls, totals.cost, true, null, null, lastBefore.get(user))));
        classified.sort(Comparator.comparing(PersonAdoption::status).thenComparing(PersonAdoption::calls, Comparator.reverseOrder())
                .thenComparing(PersonAdoption::user));

        List<Pairing> pairings = new ArrayList<>();
        List<PersonAdoption> unpaired = new ArrayList<>();
        pair(classified, window, pairings, unpaired);
        return new Adoption(window.from(), window.to(), threshold, classified, byStatus(classified),
                groups(classified, p -> p.level() == null ? null : p.level().name(), Arrays.stream(Level.values()).map(Enum::name).toList()),
                groups(classified, p -> p.status() == AdoptionStatus.UNKNOWN ? null : p.tenureBand(),
                        concat(TENURE_BANDS.stream().map(Map.Entry::getKey).toList(), UNKNOWN_TENURE)),
                groups(classified, PersonAdoption::team, null),
                friction(grants, open), seniorsAtZero(classified), pairings, unpaired);
    }

    /**
     * Usage by seniority over the last {@code weeks} whole weeks (Monday 00:00 UTC to Monday), oldest first: per
     * level, the directory people of {@code teams} who had started by the week's end, how many were active
     * (at least {@code callsPerWeek} calls that week), how many used the tools at all, and their calls.
     */
    public List<AdoptionWeek> trend(int weeks, List<String> teams, Double callsPerWeek, Instant now) {
        if (weeks < 1 || weeks > 104) {
            throw new BadInputException("weeks", "weeks must be between 1 and 104");
        }
        double perWeek = perWeek(callsPerWeek);
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate lastMonday = today.minusDays(today.getDayOfWeek().getValue() - 1L);
        List<Person> directory = people.people(teams);
        List<AdoptionWeek> trend = new ArrayList<>();
        for (int i = weeks; i >= 1; i--) {
            LocalDate start = lastMonday.minusWeeks(i);
            LocalDate end = start.plusWeeks(1);
            TimeWindow week = new TimeWindow(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
            Map<String, Long> calls = new HashMap<>();
            for (GroupStats g : usage.groupStats(week, callsOf(teams), List.of(Dimension.USER))) {
                QueryBudget.checkpoint();
                if (g.key(0) != null) {
                    calls.put(g.key(0), g.requests());
                }
            }
            List<LevelWeek> levels = new ArrayList<>();
            List<Person> seniors = new ArrayList<>();
            for (Level level : Level.values()) {
                List<Person> members = directory.stream()
                        .filter(p -> p.level() == level && (p.startDate() == null || p.startDate().isBefore(end))).toList();
                levels.add(levelWeek(level.name(), members, calls, perWeek));
                if (level.senior()) {
                    seniors.addAll(members);
                }
            }
            trend.add(new AdoptionWeek(week.from(), week.to(), levels, levelWeek("SENIOR+", seniors, calls, perWeek)));
        }
        return trend;
    }

    /** The calls that count for {@code teams}: theirs only, or every call when no team is named. */
    private static UsageFilter callsOf(List<String> teams) {
        return teams.isEmpty() ? UsageFilter.NONE : new UsageFilter(teams, null, null, null, null, null);
    }

    /** The active bar asked for, or the configured one. */
    private double perWeek(Double callsPerWeek) {
        double perWeek = callsPerWeek == null ? activeCallsPerWeek : callsPerWeek;
        if (!(perWeek > 0) || perWeek > 1_000_000) {
            throw new BadInputException("activeCallsPerWeek", "activeCallsPerWeek must be above 0 and at most 1,000,000");
        }
        return perWeek;
    }

    private static LevelWeek levelWeek(String group, List<Person> members, Map<String, Long> calls, double perWeek) {
        int active = 0;
        int withUsage = 0;
        long total = 0;
        for (Person p : members) {
            QueryBudget.checkpoint();
            long n = calls.getOrDefault(p.user(), 0L);
            total += n;
            withUsage += n > 0 ? 1 : 0;
            active += n >= perWeek ? 1 : 0;
        }
        return new LevelWeek(group, members.size(), active, withUsage, total, share(active, members.size()));
    }

    private static PersonAdoption classify(Person p, Totals totals, AccessState access, LocalDate lastBefore, double threshold,
                                           TimeWindow window, LocalDate endDay) {
        Integer tenure = p.startDate() == null ? null : (int) ChronoUnit.DAYS.between(p.startDate(), endDay);
        String band = tenure == null ? UNKNOWN_TENURE
                : TENURE_BANDS.stream().filter(b -> tenure < b.getValue()).findFirst().orElseThrow().getKey();
        AdoptionStatus status;
        Boolean hasAccess;
        BlockedReason reason = null;
        Double waiting = null;
        if (totals.calls > 0) {
            status = totals.calls >= threshold ? AdoptionStatus.ACTIVE : AdoptionStatus.LOW;
            hasAccess = true;
        } else if (access.granted()) {
            status = lastBefore != null ? AdoptionStatus.LAPSED : AdoptionStatus.NOT_ENGAGED;
            hasAccess = true;
        } else if (access.openSince != null) {
            status = AdoptionStatus.BLOCKED;
            hasAccess = false;
            reason = BlockedReason.REQUEST_PENDING;
            waiting = days(access.openSince, window.to());
        } else if (access.lastRevoke != null) {
            status = AdoptionStatus.BLOCKED;
            hasAccess = false;
            reason = BlockedReason.REVOKED;
            waiting = days(access.lastRevoke, window.to());
        } else if (lastBefore != null) {
            // used the tools before without a grant on record: access is implied, the use has stopped
            status = AdoptionStatus.LAPSED;
            hasAccess = null;
        } else {
            status = AdoptionStatus.BLOCKED;
            hasAccess = false;
            reason = BlockedReason.NEVER_GRANTED;
            waiting = tenure == null ? null : (double) tenure;
        }
        return new PersonAdoption(p.user(), p.displayName(), p.team(), p.level(), tenure, band, status, totals.calls, totals.cost,
                hasAccess, reason, waiting, lastBefore);
    }

    private static List<StatusGroup> byStatus(List<PersonAdoption> classified) {
        List<StatusGroup> groups = new ArrayList<>();
        for (AdoptionStatus status : AdoptionStatus.values()) {
            List<PersonAdoption> members = classified.stream().filter(p -> p.status() == status).toList();
            groups.add(new StatusGroup(status, members.size(), share(members.size(), classified.size()), members));
        }
        return groups;
    }

    /** Counts per key, in {@code order} when given (keys with nobody left out) or by key otherwise; null keys are skipped. */
    private static List<GroupAdoption> groups(List<PersonAdoption> classified, Function<PersonAdoption, String> key, List<String> order) {
        Map<String, List<PersonAdoption>> byKey = new HashMap<>();
        for (PersonAdoption p : classified) {
            String k = key.apply(p);
            if (k != null) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
            }
        }
        List<String> keys = order == null ? new ArrayList<>(new TreeSet<>(byKey.keySet())) : order.stream().filter(byKey::containsKey).toList();
        List<GroupAdoption> groups = new ArrayList<>();
        for (String k : keys) {
            Map<AdoptionStatus, Integer> n = new EnumMap<>(AdoptionStatus.class);
            byKey.get(k).forEach(p -> n.merge(p.status(), 1, Integer::sum));
            int total = byKey.get(k).size();
            int active = n.getOrDefault(AdoptionStatus.ACTIVE, 0);
            groups.add(new GroupAdoption(k, total, active, n.getOrDefault(AdoptionStatus.LOW, 0),
                    n.getOrDefault(AdoptionStatus.NOT_ENGAGED, 0), n.getOrDefault(AdoptionStatus.BLOCKED, 0),
                    n.getOrDefault(AdoptionStatus.LAPSED, 0), n.getOrDefault(AdoptionStatus.UNKNOWN, 0), share(active, total)));
        }
        return groups;
    }

    private static AccessFriction friction(List<Wait> grants, List<Wait> open) {
        List<Double> waits = grants.stream().map(Wait::days).sorted().toList();
        Wait oldest = open.stream().min(Comparator.comparing(Wait::start).thenComparing(Wait::user)).orElse(null);
        return new AccessFriction(waits.size(), percentile(waits, 0.5), percentile(waits, 0.9), open.size(),
                oldest == null ? null : oldest.days(), oldest == null ? null : oldest.user());
    }

    private static SeniorsAtZero seniorsAtZero(List<PersonAdoption> classified) {
        List<PersonAdoption> zero = classified.stream().filter(p -> p.level() != null && p.level().senior() && p.calls() == 0).toList();
        return new SeniorsAtZero(zero.size(), zero.stream().filter(p -> p.status() == AdoptionStatus.BLOCKED).toList(),
                zero.stream().filter(p -> p.status() != AdoptionStatus.BLOCKED).toList());
    }

    /**
     * For each senior who has access and uses the tools little or not at all, an ACTIVE peer: from the same team
     * if one has room, else from the team sharing the largest part of its workflows with the senior's (Jaccard
     * over the workflows used in the window). Busiest peers first; each peer at most {@code maxPairingsPerPeer}
     * times. Seniors are taken most senior first, then the least active first.
     */
    private void pair(List<PersonAdoption> classified, TimeWindow window, List<Pairing> pairings, List<PersonAdoption> unpaired) {
        List<PersonAdoption> seniors = classified.stream()
                .filter(p -> p.level() != null && p.level().senior() && Boolean.TRUE.equals(p.hasAccess())
                        && (p.status() == AdoptionStatus.LOW || p.status() == AdoptionStatus.NOT_ENGAGED || p.status() == AdoptionStatus.LAPSED))
                .sorted(Comparator.comparing(PersonAdoption::level).reversed().thenComparing(PersonAdoption::calls).thenComparing(PersonAdoption::user))
                .toList();
        if (seniors.isEmpty()) {
            return;
        }
        List<PersonAdoption> peers = classified.stream().filter(p -> p.status() == AdoptionStatus.ACTIVE && p.level() != null)
                .sorted(Comparator.comparing(PersonAdoption::calls).reversed().thenComparing(PersonAdoption::user)).toList();
        Map<String, Set<String>> workflows = new HashMap<>();
        for (GroupStats g : usage.groupStats(window, UsageFilter.NONE, List.of(Dimension.TEAM, Dimension.WORKFLOW))) {
            if (g.key(1) != null) {
                workflows.computeIfAbsent(g.key(0), t -> new TreeSet<>()).add(g.key(1));
            }
        }
        Map<String, Integer> used = new HashMap<>();
        for (PersonAdoption senior : seniors) {
            QueryBudget.checkpoint();
            PersonAdoption peer = peers.stream().filter(p -> p.team().equals(senior.team()) && room(used, p)).findFirst().orElse(null);
            List<String> shared = List.of();
            if (peer == null) {
                Set<String> own = workflows.getOrDefault(senior.team(), Set.of());
                double best = 0;
                for (PersonAdoption candidate : peers) {
                    if (candidate.team().equals(senior.team()) || !room(used, candidate)) {
                        continue;
                    }
                    Set<String> theirs = workflows.getOrDefault(candidate.team(), Set.of());
                    List<String> common = own.stream().filter(theirs::contains).toList();
                    double similarity = common.isEmpty() ? 0 : (double) common.size() / (own.size() + theirs.size() - common.size());
                    if (similarity > best) {
                        best = similarity;
                        peer = candidate;
                        shared = common;
                    }
                }
            }
            if (peer == null) {
                unpaired.add(senior);
                continue;
            }
            used.merge(peer.user(), 1, Integer::sum);
            boolean sameTeam = peer.team().equals(senior.team());
            String reason = sameTeam
                    ? peer.displayName() + " is active in the same team (" + peer.calls() + " calls in the window)"
                    : "no active peer with room in " + senior.team() + "; " + peer.team() + " shares " + shared.size() + " of its workflows ("
                    + String.join(", ", shared) + ") and " + peer.displayName() + " is active there (" + peer.calls() + " calls)";
            pairings.add(new Pairing(senior, peer, sameTeam, shared, reason));
        }
    }

    private boolean room(Map<String, Integer> used, PersonAdoption peer) {
        return used.getOrDefault(peer.user(), 0) < maxPairingsPerPeer;
    }

    /** The {@code q} quantile by linear interpolation between closest ranks; null for no values. */
    static Double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        double rank = q * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
    }

    private static double days(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() / DAY_SECONDS;
    }

    private static double share(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    private record Wait(String user, Instant start, Instant end) {
        double days() {
            return AdoptionService.days(start, end);
        }
    }

    /** A user's calls and cost in the window, over every team they called for. */
    private static final class Totals {
        long calls;
        double cost;

        void add(GroupStats g) {
            calls += g.requests();
            cost += g.cost().doubleValue();
        }
    }

    /** Access as the events up to the window's end leave it. */
    private static final class AccessState {
        Instant lastGrant;
        Instant lastRevoke;
        Instant openSince;
        final List<Wait> grants = new ArrayList<>();

        static AccessState of(List<AccessEvent> events) {
            AccessState state = new AccessState();
            for (AccessEvent e : events) {
                switch (e.kind()) {
                    case REQUESTED -> {
                        if (state.openSince == null) {
                            state.openSince = e.at();
                        }
                    }
                    case GRANTED -> {
                        state.lastGrant = e.at();
                        if (state.openSince != null) {
                            state.grants.add(new Wait(e.user(), state.openSince, e.at()));
                            state.openSince = null;
                        }
                    }
                    case REVOKED -> state.lastRevoke = e.at();
                }
            }
            return state;
        }

        boolean granted() {
            return lastGrant != null && (lastRevoke == null || lastGrant.isAfter(lastRevoke));
        }
    }
}
