package dev.aiusage.domain;

import java.util.List;

/**
 * Narrows a query to records matching every non-empty list; values within a list are alternatives.
 * Empty lists do not narrow, so {@link #NONE} is the filter that keeps everything.
 */
public record UsageFilter(List<String> teams, List<String> users, List<String> providers,
                          List<String> models, List<String> workflows, List<String> taskTypes) {

    public static final UsageFilter NONE = new UsageFilter(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public UsageFilter {
        teams = clean("filter.teams", teams);
        users = clean("filter.users", users);
        providers = clean("filter.providers", providers);
        models = clean("filter.models", models);
        workflows = clean("filter.workflows", workflows);
        taskTypes = clean("filter.taskTypes", taskTypes);
    }

    public static UsageFilter ofTeam(String team) {
        return new UsageFilter(List.of(team), null, null, null, null, null);
    }

    private static List<String> clean(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > 1000) {
            throw new BadInputException(field, field + " may list at most 1000 values");
        }
        return values.stream().map(v -> {
            if (v == null) {
                throw new BadInputException(field, field + " must not contain null");
            }
            return Names.require(field, v);
        }).distinct().toList();
    }
}
