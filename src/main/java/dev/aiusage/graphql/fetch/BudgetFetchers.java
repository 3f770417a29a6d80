package dev.aiusage.graphql.fetch;

import dev.aiusage.access.Access;
import dev.aiusage.access.Role;
import dev.aiusage.analysis.AnomalyService;
import dev.aiusage.analysis.SpendAnomaly;
import dev.aiusage.budget.Budget;
import dev.aiusage.budget.BudgetService;
import dev.aiusage.budget.BudgetView;
import dev.aiusage.budget.Period;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.graphql.Guard;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The fetchers of {@code schema/budgets.graphqls} and {@code schema/anomalies.graphqls}: budgets with their
 * forecasts, and spend anomalies. Each reads its arguments, makes one service call and returns; {@code GraphQLFactory}
 * wires them to the schema.
 */
@Singleton
public class BudgetFetchers {
    private final BudgetService budgets;
    private final AnomalyService anomalies;
    private final Clock clock;

    BudgetFetchers(BudgetService budgets, AnomalyService anomalies, Clock clock) {
        this.budgets = budgets;
        this.anomalies = anomalies;
        this.clock = clock;
    }

    public List<BudgetView> budgets(DataFetchingEnvironment env) {
        Access access = Guard.access(env);
        access.requireRead();
        return budgets.list(access.role() == Role.TEAM ? access.team() : null);
    }

    @SuppressWarnings("unchecked")
    public BudgetView setBudget(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        String scope = (String) in.get("scope");
        String period = (String) in.get("period");
        Object amount = in.get("amountUsd");
        return budgets.set(new BudgetService.Input((String) in.get("name"), scope == null ? null : Budget.Scope.valueOf(scope),
                (String) in.get("team"), (String) in.get("workflow"), amount == null ? null : ((Number) amount).doubleValue(),
                period == null ? null : Period.valueOf(period), (String) in.get("timeZone"), (List<Double>) in.get("thresholds")));
    }

    public boolean deleteBudget(DataFetchingEnvironment env) {
        try {
            return budgets.delete(Long.parseLong(env.getArgument("id")));
        } catch (NumberFormatException e) {
            throw new BadInputException("id", "id is not the id of a budget");
        }
    }

    public List<SpendAnomaly> anomalies(DataFetchingEnvironment env) {
        return anomalies.anomalies(Arguments.window(env, clock), Arguments.filter(env), env.getArgument("timeZone"));
    }
}
