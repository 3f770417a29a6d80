package dev.aiusage.analysis;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.people.PeopleStore;
import dev.aiusage.people.Person;
import dev.aiusage.store.Dimension;
import dev.aiusage.store.GroupStats;
import dev.aiusage.store.UsageAggregates;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The people to learn from: a team's heaviest users by calls and by cost, from the rollups (user and model),
 * with their share of the team. Calls sent without a user id count in the team's totals, never as a user.
 */
@Singleton
public class PowerUserService {
    private final UsageAggregates usage;
    private final PeopleStore people;

    public PowerUserService(UsageAggregates usage, PeopleStore people) {
        this.usage = usage;
        this.people = people;
    }

    public PowerUsers powerUsers(String team, TimeWindow window, int limit) {
        if (limit < 1 || limit > 100) {
            throw new BadInputException("limit", "limit must be between 1 and 100");
        }
        Map<String, Acc> byUser = new HashMap<>();
        long teamCalls = 0;
        BigDecimal teamCost = BigDecimal.ZERO;
        for (GroupStats g : usage.groupStats(window, UsageFilter.ofTeam(team), List.of(Dimension.USER, Dimension.MODEL))) {
            teamCalls += g.requests();
            teamCost = teamCost.add(g.cost());
            if (g.key(0) != null) {
                byUser.computeIfAbsent(g.key(0), u -> new Acc()).add(g);
            }
        }
        Map<String, String> names = new HashMap<>();
        for (Person p : people.people(List.of())) {
            names.put(p.user(), p.displayName());
        }
        long calls = teamCalls;
        double cost = teamCost.doubleValue();
        List<PowerUser> all = new ArrayList<>();
        byUser.forEach((user, a) -> all.add(new PowerUser(user, names.get(user), a.calls, a.cost.doubleValue(),
                calls == 0 ? 0 : (double) a.calls / calls, cost == 0 ? 0 : a.cost.doubleValue() / cost, List.copyOf(a.models),
                a.scored == 0 ? null : a.qualitySum.doubleValue() / a.scored)));
        List<PowerUser> byCalls = all.stream().sorted(Comparator.comparingLong(PowerUser::calls).reversed()
                .thenComparing(PowerUser::cost, Comparator.reverseOrder()).thenComparing(PowerUser::user)).limit(limit).toList();
        List<PowerUser> byCost = all.stream().sorted(Comparator.comparingDouble(PowerUser::cost).reversed()
                .thenComparing(PowerUser::calls, Comparator.reverseOrder()).thenComparing(PowerUser::user)).limit(limit).toList();
        return new PowerUsers(team, window.from(), window.to(), teamCalls, cost, byCalls, byCost);
    }

    private static final class Acc {
        long calls;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal qualitySum = BigDecimal.ZERO;
        long scored;
        final TreeSet<String> models = new TreeSet<>();

        void add(GroupStats g) {
            calls += g.requests();
            cost = cost.add(g.cost());
            qualitySum = qualitySum.add(g.qualitySum());
            scored += g.qualityCount();
            models.add(g.key(1));
        }
    }
}
